"""gunicorn settings read from the project folder: tell the app where it really listens.

Without BASE_URL (development), e-mailed links and calendar feeds use the address gunicorn bound
(`make run PORT=8102` gives http://127.0.0.1:8102), not a fixed default. The hook runs in the master
after binding and before the workers start, so every worker inherits the variable.
"""
import os

from app.core.config import LISTEN_URL_VAR, listen_url


def when_ready(server):
    if server.LISTENERS and not os.environ.get("BASE_URL"):
        address = server.LISTENERS[0].sock.getsockname()
        if isinstance(address, tuple):  # TCP, not a unix socket
            os.environ[LISTEN_URL_VAR] = listen_url(address)
