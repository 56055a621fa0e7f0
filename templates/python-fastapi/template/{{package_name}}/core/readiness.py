"""Whether the service takes new work: ``GET /ready`` answers 503 once it is told to stop."""

import threading


class Readiness:
    """On until :meth:`stop`; the server turns it off on SIGTERM or SIGINT, before it stops
    taking requests, so that a load balancer sends no new ones while the last are served."""

    def __init__(self) -> None:
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()
