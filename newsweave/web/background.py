"""Run the web app with uvicorn in a background thread on a free loopback port.

Used by the browser tests and ``scripts/load_web.py``; handy in notebooks::

    with BackgroundServer(create_app()) as server:
        print(server.url)
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from ..errors import require


class BackgroundServer:
    """A real uvicorn server for ``app`` on ``127.0.0.1:<free port>``."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1", log_level: str = "warning") -> None:
        uvicorn = require("uvicorn", "the web server (uvicorn)", "pip install 'newsweave[web]'")
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(app, log_level=log_level, lifespan="on", server_header=False)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 120.0) -> BackgroundServer:
        """Start serving; wait until the server (and its lifespan) is up."""
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the web server stopped during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the web server did not start within {timeout:g} s")
            time.sleep(0.05)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self._thread.join(timeout)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
