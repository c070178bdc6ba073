"""Read models built only from events, served over HTTP.

So far one projection of membership's events (consumer group `reporting.partnership_composition`):
per partnership, its member schools by sector and phase (`GET /partnerships`,
`GET /partnerships/{id}/composition`), and the county roll-up (`GET /county/composition`). It is
pure projection: with the service stopped, `python -m services.reporting.rebuild` drops the read
model and rewinds the consumer group, and the next start replays the log from offset 0.
"""
