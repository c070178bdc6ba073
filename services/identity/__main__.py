import uvicorn

from services.identity.bootstrap import build
from services.identity.settings import IdentitySettings

settings = IdentitySettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
