"""Two app servers (two gunicorn instances) on one database agree: a need submitted through one is
suggested by the other within 2 seconds, and both give the same suggestions (the matching state
lives in the database, not in a process). Runs on the suite's engine (SQLite or PostgreSQL)."""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from models import BusinessStage, Confidentiality, NeedStatus, RegulatoryNeed, Role, db

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PASSWORD = "correct horse battery staple"
STAGE = next(iter(BusinessStage)).value

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """One logged-in user on one server (cookies kept, CSRF tokens read from the forms)."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, form_page: str | None = None) -> int:
        token = CSRF.search(self.get(form_page or path)).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, **data}).encode()
        with self.opener.open(self.base + path, data=body, timeout=60) as response:
            return response.status

    def login(self, email: str) -> None:
        self.post("/auth/login", {"email": email, "password": PASSWORD})
        assert "logout" in self.get("/dashboard")

    def similar(self, title: str) -> dict:
        return json.loads(self.get("/needs/similar.json?" + urllib.parse.urlencode({"title": title})))


@pytest.fixture
def two_servers(app, tmp_path):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "two-servers-test",
           "APP_ENV": "development", "BASE_URL": "http://127.0.0.1"}
    servers, bases, logs = [], [], []
    try:
        for _ in range(2):
            port = _free_port()
            logs.append((tmp_path / f"gunicorn-{port}.log").open("w"))
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", "1",
                 "--threads", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=logs[-1]))
            bases.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 120
        for base in bases:
            while True:
                try:
                    urllib.request.urlopen(base + "/auth/login", timeout=5).read()
                    break
                except OSError:
                    assert time.monotonic() < deadline, "a server did not start: " + "".join(
                        p.read_text() for p in tmp_path.glob("gunicorn-*.log"))[-3000:]
                    time.sleep(0.5)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        for log in logs:
            log.close()


def test_a_need_submitted_through_one_server_is_suggested_by_the_other(two_servers, make_user, make_need, secretariat):
    from app.auth.passwords import hash_password

    member = make_user(Role.MEMBER, email="two-servers@example.org", password=PASSWORD)
    other = make_user(Role.MEMBER)
    make_need(other, title="保育所の年齢制限を緩和したい", confidentiality=Confidentiality.PUBLIC, status=NeedStatus.RECEIVED)
    secretariat.password_hash = hash_password(PASSWORD)
    db.session.commit()
    member_email, staff_email = member.email, secretariat.email
    db.session.close()  # this process holds no transaction (SQLite: no lock) while the servers work
    a, b = Browser(two_servers[0]), Browser(two_servers[1])
    a.login(member_email)
    b.login(staff_email)
    title = "港湾でのロケット燃料の高圧ガス充填を特例で認めてほしい"
    assert a.post("/needs/new", {
        "title": title, "business": "大樹町の射場へ港から燃料を運ぶ", "tags": "ロケット, 高圧ガス", "stage": STAGE,
        "law_name": "高圧ガス保安法", "obstacle": "港湾での充填が認められていない", "relief": "港湾区域での特例",
        "urgency": "medium", "confidentiality": "members", "public_summary": "港湾での高圧ガス充填", "submit": "1",
    }, form_page="/needs/new") in (200, 302)
    need_id = db.session.scalar(db.select(RegulatoryNeed.id).where(RegulatoryNeed.title == title))
    db.session.close()
    assert need_id is not None
    submitted = time.monotonic()
    while True:
        found = [n["id"] for n in b.similar("ロケット燃料の高圧ガス充填")["needs"]]
        if need_id in found:
            break
        assert time.monotonic() - submitted < 2.0, "the other server did not suggest the new need within 2 s"
        time.sleep(0.1)
    a_staff = Browser(two_servers[0])
    a_staff.login(staff_email)
    for text in ("ロケット燃料の高圧ガス充填", "保育所の年齢制限", "rocket fuel at the port"):
        assert a_staff.similar(text) == b.similar(text)
