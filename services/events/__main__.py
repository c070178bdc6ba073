import uvicorn

from services.events.bootstrap import EventsSettings, build

settings = EventsSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
