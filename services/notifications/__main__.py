import uvicorn

from services.notifications.bootstrap import build
from services.notifications.settings import NotificationsSettings

settings = NotificationsSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
