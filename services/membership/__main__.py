import uvicorn

from services.membership.bootstrap import MembershipSettings, build

settings = MembershipSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
