"""One PyMongo async client per process, from settings."""

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from eventkit.settings import ServiceSettings

Document = dict[str, Any]


def connect(settings: ServiceSettings) -> AsyncMongoClient[Document]:
    return AsyncMongoClient(settings.mongodb_uri, tz_aware=True, appname=settings.service_name)


def database(
    client: AsyncMongoClient[Document], settings: ServiceSettings
) -> AsyncDatabase[Document]:
    return client[settings.database_name]
