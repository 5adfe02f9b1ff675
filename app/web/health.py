"""What /healthz checks: the database answers, its schema is at the migration head, uploads can be written."""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.engine import make_url

from models import db

from app.core.database import migration_heads

log = logging.getLogger(__name__)


def health_problems() -> list[str]:
    problems: list[str] = []
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).is_file():
        problems.append("database: the SQLite file is missing")  # connecting would create an empty one
    else:
        try:
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                try:
                    current = set(connection.scalars(text("SELECT version_num FROM alembic_version")))
                except Exception:  # no alembic_version table: never migrated
                    current = set()
            if sorted(current) != migration_heads():
                problems.append(f"schema: at {sorted(current) or 'nothing'}, expected {migration_heads()} "
                                "(run flask db upgrade)")
        except Exception as error:  # any failure to reach the database
            problems.append(f"database: unreachable ({type(error).__name__})")
    uploads = Path(current_app.instance_path) / "uploads"
    try:
        uploads.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=uploads, prefix=".healthz-"):
            pass
    except OSError as error:
        problems.append(f"uploads: {uploads} is not writable ({error.strerror or error})")
    if not os.access(uploads, os.W_OK):
        problems.append(f"uploads: {uploads} is not writable")
    return sorted(set(problems))
