import uvicorn

from services.events.bootstrap import build
from services.events.settings import EventsSettings

settings = EventsSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
