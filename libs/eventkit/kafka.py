"""The FastStream Kafka broker every service uses.

The producer is idempotent with `acks=all`. Subscribers are made by `eventkit.consumer`, which
commits offsets only after the effect is stored.
"""

from faststream.kafka import KafkaBroker

from eventkit.settings import ServiceSettings


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        enable_idempotence=True,
        acks="all",
    )
