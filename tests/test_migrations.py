"""Alembic: upgrade from nothing to head matches the models, and downgrade returns to nothing."""
from __future__ import annotations

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.core.config import TestConfig
from models import db


def test_upgrade_to_head_matches_models_and_downgrade_to_base(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_MIGRATION_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    application = create_app(config, instance_path=str(tmp_path))
    with application.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], differences
        downgrade(revision="base")
        with db.engine.connect() as connection:
            left = set(inspect(connection).get_table_names()) - {"alembic_version"}
        assert left == set()
        db.engine.dispose()

