"""What gunicorn's master does once, after loading the app and before forking its workers (and what
the benchmark does to stand for a fresh worker): every worker inherits the result."""
from __future__ import annotations

import gc
import logging

from flask import Flask

from app.core.analyses import warm_up
from app.core.memory import fix_malloc_thresholds
from app.introductions import partner_index
from app.members.directory_queries import keep_every_record
from app.web.templating import compile_templates
from models import db

log = logging.getLogger(__name__)


def before_fork(app: Flask) -> None:
    fix_malloc_thresholds()  # a thread reuses its last password hash's memory (no page faults per login)
    compile_templates(app)  # 86 templates, 0.5 s: no worker compiles one on a user's request
    with app.app_context():
        try:
            keep_every_record()  # the directory's search records: no worker's first search reads them all
        finally:
            db.session.remove()
    # The analyser loaded, stale analyses brought up to date, the index of all partners built from them
    # (when there are many), then gc.freeze(): last.
    warm_up(app, keep=partner_index.current)


def before_each_fork(app: Flask) -> None:
    """What gunicorn's master does before it forks each worker: bring its index of all partners up to
    date, so that a worker started after a partner changed (gunicorn replaces workers now and then)
    inherits a current one instead of building its own. A failure is logged, never stops the fork."""
    with app.app_context():
        try:
            if partner_index.current() is not None:
                gc.freeze()  # as after the start: the collector need not walk the index
        except Exception:
            log.exception("partner index not brought up to date before a fork")
        finally:
            db.session.remove()
            db.engine.dispose()  # no connection crosses the fork
