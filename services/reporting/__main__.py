import uvicorn

from services.reporting.bootstrap import ReportingSettings, build

settings = ReportingSettings()
uvicorn.run(build(settings), host=settings.http_host, port=settings.http_port, log_config=None)
