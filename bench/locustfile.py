"""Load test for `make bench-app`: members and the secretariat reading pages, 10 % of requests writing.

Accounts and ids come from the environment (BENCH_ACCOUNTS, BENCH_IDS), set by bench/app_bench.py;
every request's (method, name, milliseconds) is written to BENCH_TIMES when the run ends, so that the
bench can take percentiles over all pages or all submissions (Locust's CSV has them per name only).
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import time

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ACCOUNTS = json.loads(os.environ.get("BENCH_ACCOUNTS", "{}"))
IDS = json.loads(os.environ.get("BENCH_IDS", "{}"))
PASSWORD = "seed-scale-password"
READS = [
    ("member", "/needs/similar.json?title=ドローン物流の実証&obstacle=目視外飛行の許可&law=航空法", "similar needs"),
    ("secretariat", "/needs/manage/{need}", "curation"),
    ("secretariat", "/needs/manage/packages/", "packages"),
    ("secretariat", "/needs/manage/board", "board"),
    ("secretariat", "/introductions/match/request/{request}", "matcher"),
    ("secretariat", "/groups/{group}/members", "group members"),
    ("secretariat", "/dashboard", "dashboard"),
    ("member", "/members/?q=水素", "directory search"),
    ("member", "/needs/?q=ドローン", "needs search"),
    ("member", "/dashboard", "member dashboard"),
]


_times: list[tuple[str, str, float, float]] = []  # (method, name, ms, seconds since the epoch at the end)


@events.request.add_listener
def _record(request_type, name, response_time, **_):
    _times.append((request_type, name, response_time, time.time()))


@events.quitting.add_listener
def _write_times(**_):
    if os.environ.get("BENCH_TIMES"):
        with open(os.environ["BENCH_TIMES"], "w") as handle:
            json.dump(_times, handle)


_spawned = itertools.count()
_started = {"secretariat": itertools.count(), "member": itertools.count()}


class Visitor(FastHttpUser):
    """One signed-in user. FastHttpUser (geventhttpclient): the load generator shares the two cores with
    the server, and the `requests`-based HttpUser spent about 10 % of them on its own."""

    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.role = ("secretariat", "member")[next(_spawned) % 2]  # half and half, the same in every run
        accounts = ACCOUNTS[self.role]  # one account per user where there are enough (see bench.app_bench)
        email = accounts[next(_started[self.role]) % len(accounts)]
        page = self.client.get("/auth/login", name="login form")
        token = CSRF.search(page.text)
        with self.client.post("/auth/login", name="login", catch_response=True, data={
                "email": email, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}) as response:
            if 'name="password"' in (response.text or ""):  # the form again: not signed in
                response.failure("login refused")

    @task(9)
    def read(self):
        role, path, name = random.choice([r for r in READS if r[0] == self.role])
        self.client.get(path.format(**IDS), name=name)

    @task(1)
    def write(self):
        """A write a user makes often: mark notifications read (an UPDATE behind a CSRF-protected form)."""
        page = self.client.get("/notifications/", name="notifications")
        token = CSRF.search(page.text)
        self.client.post("/notifications/read-all", name="mark all read",
                         data={"csrf_token": token.group(1) if token else ""})
