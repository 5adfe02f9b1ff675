"""What gunicorn's master does once, after loading the app and before forking its workers (and what
the benchmark does to stand for a fresh worker): every worker inherits the result."""
from __future__ import annotations

from flask import Flask

from app.core.analyses import warm_up
from app.core.memory import fix_malloc_thresholds
from app.members.directory_queries import keep_every_record
from app.web.templating import compile_templates
from models import db


def before_fork(app: Flask) -> None:
    fix_malloc_thresholds()  # a thread reuses its last password hash's memory (no page faults per login)
    compile_templates(app)  # 86 templates, 0.5 s: no worker compiles one on a user's request
    with app.app_context():
        try:
            keep_every_record()  # the directory's search records: no worker's first search reads them all
        finally:
            db.session.remove()
    warm_up(app)  # the analyser loaded, stale analyses brought up to date, then gc.freeze(): last
