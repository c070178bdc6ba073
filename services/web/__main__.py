import uvicorn

from services.web.bootstrap import build
from services.web.settings import WebSettings

settings = WebSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
