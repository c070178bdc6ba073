"""The FastStream Kafka broker every service uses.

The producer is idempotent with `acks=all`. Subscribers are made by `eventkit.consumer`, which
commits offsets only after the effect is stored.
"""

import logging

from faststream.kafka import KafkaBroker

from eventkit.settings import ServiceSettings


def make_broker(settings: ServiceSettings) -> KafkaBroker:
    return KafkaBroker(
        settings.kafka_bootstrap_servers,
        logger=logging.getLogger("faststream.kafka"),
        client_id=settings.service_name,
        enable_idempotence=True,
        acks="all",
    )
