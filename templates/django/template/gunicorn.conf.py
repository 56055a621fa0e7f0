"""gunicorn settings, read from the environment (gunicorn loads this file from the folder).

HOST and PORT set the address, WEB_CONCURRENCY the worker processes, LOG_LEVEL the log level.
On SIGTERM or SIGINT workers finish their requests, for up to SHUTDOWN_TIMEOUT seconds (10).
"""

import os

bind = [f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"]  # noqa: S104
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("SHUTDOWN_TIMEOUT", "10"))
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The application logs one line per request itself (see the request middleware).
accesslog = None
errorlog = "-"
# No runtime control socket (gunicornc): containers are managed from outside.
control_socket_disable = True
