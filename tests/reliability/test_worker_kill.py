"""A gunicorn worker killed (SIGKILL) while submissions are in flight loses nothing and doubles nothing.

Clients submit regulatory needs to gunicorn (the production configuration file, 2 threaded workers)
while a killer SIGKILLs a worker every 1.5 s: browsers through the real form (CSRF token and one-time
submission key), API clients with a bearer token and an `Idempotency-Key`. A POST whose connection
dies is sent again with the same key until it is answered, as a browser's or client's retry would;
every third acknowledged submission is sent once more with its key. Then:
every acknowledged submission is stored exactly once, every repeat was answered with the first
result, every submission key row points at its need, no e-mail was queued for anything not stored,
and the database passes its integrity checks. Runs on the suite's engine (SQLite or PostgreSQL)."""
from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import secrets
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.api.token_services import create_token
from models import OutgoingMail, RegulatoryNeed, Role, SubmissionKey, TokenScope, db

from ..needs.test_form import FULL

pytestmark = pytest.mark.slow  # starts gunicorn and runs for about 20 s

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KEY_RE = re.compile(r'name="submission_key" type="hidden" value="([^"]+)"')
ALREADY_SENT = "このフォームは送信済みです"  # the flash of a repeated key (the applicants read Japanese)
CLIENTS = 6  # browsers
API_CLIENTS = 2
SECONDS = 15
KILL_EVERY = 1.5
# What a killed worker looks like from the client: the connection closes or resets mid-request.
DIED = (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead, urllib.error.URLError, TimeoutError, OSError)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        """(status, Location, body); raises one of DIED when the worker dies under the request."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        if headers and headers.get("Content-Type") == "application/json":
            body = json.dumps(data).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers or {}),
                                  timeout=30) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")

    def until_answered(self, path: str, data: dict | None = None, *, interrupted: list | None = None,
                       headers: dict | None = None) -> tuple[int, str, str]:
        """Send again (the same request, so the same key) until a worker answers it."""
        for _ in range(40):
            try:
                return self.request(path, data, headers)
            except DIED:
                if interrupted is not None:
                    interrupted.append(path)
                time.sleep(0.2)
        raise AssertionError(f"{path} never answered")

    def login(self, email: str) -> None:
        _, _, page = self.until_answered("/auth/login")
        token = CSRF_RE.search(page).group(1)
        status, location, _ = self.until_answered("/auth/login", {"csrf_token": token, "email": email, "password": PASSWORD})
        assert status == 302 and "/auth/login" not in location, (status, location)

    def form(self) -> tuple[str, str]:
        status, _, page = self.until_answered("/needs/new")
        assert status == 200, status
        return CSRF_RE.search(page).group(1), KEY_RE.search(page).group(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _workers(master: int) -> list[int]:
    try:
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    except OSError:
        return []


@pytest.fixture
def gunicorn(app, tmp_path):
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "worker-kill-test-secret",
           "APP_ENV": "development", "BASE_URL": "http://127.0.0.1", "MAIL_DELIVERY": "worker",
           "GUNICORN_LOGLEVEL": "warning"}
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "--workers", "2", "--threads", "2",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            log.close()
            raise AssertionError("gunicorn did not start: " + log_path.read_text()[-3000:])
        time.sleep(0.3)
    try:
        yield base, process.pid, log_path
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def _integrity_problems() -> list:
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            check = connection.exec_driver_sql("PRAGMA integrity_check").fetchall()
            foreign = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            return ([] if check == [("ok",)] else check) + foreign
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        indexes = connection.scalars(text(
            "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'")).all()
        for oid in indexes:  # raises on a corrupt index
            connection.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        connection.commit()
        assert indexes
        return []


def test_a_worker_killed_during_submissions_loses_nothing_and_doubles_nothing(gunicorn, make_user, secretariat):
    from app.auth.passwords import hash_password

    base, master, log_path = gunicorn
    users = [make_user(Role.APPLICANT, email=f"killtest{n}@example.org", password=PASSWORD, is_org_admin=True)
             for n in range(CLIENTS)]
    api_users = [make_user(Role.APPLICANT, email=f"killapi{n}@example.org", is_org_admin=True) for n in range(API_CLIENTS)]
    tokens = [create_token(user, "crm", TokenScope.WRITE)[1] for user in api_users]
    secretariat.password_hash = hash_password(PASSWORD)
    db.session.commit()
    emails = [u.email for u in users]
    db.session.close()  # no transaction of ours (SQLite: no lock) while the server works

    # One submission before the storm tells how many e-mails a stored need queues.
    warm = Browser(base)
    warm.login(emails[0])
    token, key = warm.form()
    status, _, _ = warm.until_answered("/needs/new", {**FULL, "title": "kill-warm-up", "submit": "1", "csrf_token": token,
                                                       "submission_key": key})
    assert status == 302
    mails_per_need = db.session.scalar(select(func.count(OutgoingMail.id)))
    db.session.close()
    assert mails_per_need >= 1

    stop = threading.Event()
    acknowledged: dict[str, str] = {}  # title -> the need's address of the first answer
    repeats: list[tuple[str, str, str]] = []  # (title, first answer, the repeat's answer)
    interrupted: list[str] = []
    committed_before_kill: list[str] = []  # the retry found the first attempt's need (killed after commit)
    failures: list[str] = []
    kills: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        browser = Browser(base)
        browser.login(emails[n])
        i = 0
        while not stop.is_set():
            i += 1
            title = f"kill-{n}-{i}"
            token, key = browser.form()
            data = {**FULL, "title": title, "submit": "1", "csrf_token": token, "submission_key": key}
            cut_off = len(interrupted)
            status, location, body = browser.until_answered("/needs/new", data, interrupted=interrupted)
            if status != 302 or "/needs/" not in location:
                failures.append(f"{title}: {status} {location} {body[:300]}")
                continue
            first = location.split("?")[0]
            if len(interrupted) > cut_off:  # cut off, then answered: was it stored before the worker died?
                _, _, page = browser.until_answered(location.removeprefix(base))
                if ALREADY_SENT in page:
                    committed_before_kill.append(title)
            with lock:
                acknowledged[title] = first
            if i % 3 == 0:  # the user presses "send" again (or the browser retries) with the same key
                status, location, _ = browser.until_answered("/needs/new", data, interrupted=interrupted)
                repeats.append((title, f"302 {first}", f"{status} {location.split('?')[0]}"))

    def api_client(n: int) -> None:
        caller = Browser(base)
        i = 0
        while not stop.is_set():
            i += 1
            title = f"kill-api-{n}-{i}"
            body = {**{k: v for k, v in FULL.items() if k != "confidentiality"}, "title": title, "submit": True}
            headers = {"Authorization": f"Bearer {tokens[n]}", "Content-Type": "application/json",
                       "Idempotency-Key": secrets.token_urlsafe(12)}
            cut_off = len(interrupted)
            status, location, answer = caller.until_answered("/api/v1/needs", body, headers=headers, interrupted=interrupted)
            if status not in (200, 201) or "/api/v1/needs/" not in location:
                failures.append(f"{title}: {status} {location} {answer[:300]}")
                continue
            if status == 200 and len(interrupted) > cut_off:
                committed_before_kill.append(title)
            with lock:
                acknowledged[title] = location
            if i % 3 == 0:
                status, again, _ = caller.until_answered("/api/v1/needs", body, headers=headers, interrupted=interrupted)
                repeats.append((title, f"200 {location}", f"{status} {again}"))
            time.sleep(0.3)  # stay under the API's rate limit (120 requests a minute per token)

    def killer() -> None:
        while not stop.wait(KILL_EVERY):
            workers = _workers(master)
            if workers:
                victim = workers[len(kills) % len(workers)]
                try:
                    os.kill(victim, signal.SIGKILL)
                    kills.append(victim)
                except ProcessLookupError:
                    pass

    threads = ([threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
               + [threading.Thread(target=api_client, args=(n,)) for n in range(API_CLIENTS)] + [threading.Thread(target=killer)])
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)

    through_api = sum(title.startswith("kill-api-") for title in acknowledged)
    print(f"\n{len(acknowledged)} submissions acknowledged ({through_api} through the API), {len(repeats)} repeated, "
          f"{len(kills)} workers killed, "
          f"{len(interrupted)} requests cut off by a kill and sent again, {len(committed_before_kill)} of them "
          "had been stored before the kill (the retry got the stored need)")
    assert failures == []
    assert len(kills) >= 5 and len(interrupted) >= 1  # kills really landed on requests in flight
    assert len(acknowledged) >= 20

    # every acknowledged submission stored once, none stored twice, nothing stored that was not sent
    stored = Counter(db.session.scalars(select(RegulatoryNeed.title).where(RegulatoryNeed.title.like("kill-%"))))
    doubled = {title: n for title, n in stored.items() if n > 1}
    assert doubled == {}
    missing = sorted(set(acknowledged) - set(stored))
    assert missing == []
    # a submission cut off and never answered does not exist (every POST here was retried until answered)
    assert set(stored) - set(acknowledged) == {"kill-warm-up"}
    # the first answer pointed at the stored need; a repeat with the key got that same answer
    ids = dict(db.session.execute(select(RegulatoryNeed.title, RegulatoryNeed.id).where(RegulatoryNeed.title.like("kill-%"))).all())
    for title, address in acknowledged.items():
        assert address.endswith(f"/needs/{ids[title]}"), (title, address)
    assert repeats and all(answer == first for _, first, answer in repeats), repeats[:5]
    assert any(title.startswith("kill-api-") for title, _, _ in repeats)
    # one key row per stored need, pointing at it (the page for forms, the API object for API clients)
    results = Counter(url.split("?")[0] for url in db.session.scalars(select(SubmissionKey.result_url)))
    assert {acknowledged.get(title, f"/needs/{ids[title]}").split("?")[0]: 1 for title in stored} == dict(results)
    # e-mail only for what was stored, as many per need as the warm-up queued
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == mails_per_need * len(stored)
    subjects = list(db.session.scalars(select(OutgoingMail.subject)))
    assert all(any(title in subject for title in stored) for subject in subjects)
    db.session.close()

    assert _integrity_problems() == []
    log = log_path.read_text(errors="replace")
    assert "Traceback" not in log, log[log.find("Traceback") - 1500:log.find("Traceback") + 3000]
