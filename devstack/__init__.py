"""The embedded stack: the whole platform on one machine without Docker.

`processes` manages detached processes by pid file, `servers` builds the Kafka-protocol broker,
the MongoDB-protocol server and the mail catcher, `stack` brings everything up and down in a
stack folder, and `cli` is the `partnerships` command.
"""
