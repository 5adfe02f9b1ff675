"""Login throttling holds across gunicorn workers (counters live in the database, not in a process)."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app import create_app
from app.core.config import TestConfig
from models import Role, User, db

pytestmark = pytest.mark.slow  # starts gunicorn with several workers (about 30 s)

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
ATTEMPTS = 30


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}"
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = database_url
    setup_app = create_app(config, instance_path=str(tmp_path))
    with setup_app.app_context():
        from app.auth.passwords import hash_password

        db.create_all()
        db.session.add(User(email="target@example.org", name="t", password_hash=hash_password("the right passphrase"), role=Role.MEMBER))
        db.session.commit()
        db.engine.dispose()

    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "gunicorn-test-secret", "APP_ENV": "development"}
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class", "gthread", "--threads", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:  # not listening yet, or too slow to answer while starting
            time.sleep(0.3)
    else:
        process.kill()
        process.wait(timeout=20)
        log.close()
        raise AssertionError("gunicorn did not start: " + log_path.read_text()[-2000:])
    yield base, log_path
    process.terminate()
    process.wait(timeout=20)
    log.close()


def test_throttling_holds_across_four_workers(app, gunicorn_server):
    gunicorn_server, log_path = gunicorn_server
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(gunicorn_server + "/auth/login", timeout=10) as response:
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.read().decode()).group(1)
    body = urllib.parse.urlencode(
        {"email": "target@example.org", "password": "a wrong passphrase", "csrf_token": token}
    ).encode()

    def attempt(_):
        request = urllib.request.Request(gunicorn_server + "/auth/login", data=body, method="POST")
        try:
            with opener.open(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(attempt, range(ATTEMPTS)))

    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    server_log = log_path.read_text()[-3000:]
    assert statuses[200] == limit, (statuses, server_log)  # only `limit` attempts were even checked
    assert statuses[429] == ATTEMPTS - limit, (statuses, server_log)
