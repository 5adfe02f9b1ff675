"""Two workers at the same moment, made by hand: this test's session holds an open write transaction
while another worker (a thread with its own session) runs `work`; once the other worker waits on the
held rows (PostgreSQL: seen in pg_stat_activity; SQLite: its BEGIN IMMEDIATE waits for the lock), this
session commits and the other goes on. Reusable by any test:
`assert while_holding(app, lambda: update_pairs({b_id})) == []`.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from sqlalchemy import text

from models import db


def while_holding(app, work: Callable[[], object], timeout: float = 20) -> list[Exception]:
    """Run `work` in another worker (committed there) while this session's flushed changes are held;
    commit them, wait for the worker and return what it raised."""
    errors: list[Exception] = []

    def other_worker() -> None:
        with app.app_context(), app.test_request_context():
            try:
                work()
                db.session.commit()
            except Exception as error:  # returned to the test
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    thread = threading.Thread(target=other_worker)
    thread.start()
    deadline = time.monotonic() + timeout
    if db.session.get_bind().dialect.name == "postgresql":  # wait until the other worker waits on our rows
        with db.engine.connect() as watcher:
            while not watcher.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")):
                assert time.monotonic() < deadline, "the other worker never waited on the held rows"
                time.sleep(0.05)
                watcher.rollback()
    else:
        time.sleep(0.5)  # SQLite: the other worker's BEGIN IMMEDIATE waits for this commit
    db.session.commit()
    thread.join(30)
    return errors
