"""Whether the service takes new work: ``GET /ready`` answers 503 once it is told to stop."""

import threading


class Readiness:
    """On until :meth:`stop`, which gunicorn.conf.py calls in every worker on SIGTERM or
    SIGINT, before the worker stops taking requests: a load balancer sends no new ones while
    the last are served."""

    def __init__(self) -> None:
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()


#: This process's readiness.
READINESS = Readiness()
