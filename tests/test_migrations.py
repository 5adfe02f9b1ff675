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



def test_every_step_downgrades_and_upgrades_with_the_demo_data_present(tmp_path):
    from alembic.script import ScriptDirectory
    from sqlalchemy import func, select

    from app.core.config import PROJECT_ROOT
    from app.demo import load_demo
    from models import Organisation, User

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_MIGRATION_DATABASE_URL") or f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    application = create_app(config, instance_path=str(tmp_path))
    script = ScriptDirectory(str(PROJECT_ROOT / "migrations"))
    steps = [revision.revision for revision in script.walk_revisions()]  # head first
    with application.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        organisations = db.session.scalar(select(func.count(Organisation.id)))
        users = db.session.scalar(select(func.count(User.id)))
        db.session.remove()
        for revision in steps[:-1]:
            downgrade(revision="-1")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM organisations").scalar() == organisations
        upgrade()
        assert db.session.scalar(select(func.count(User.id))) == users
        db.session.remove()
        downgrade(revision="base")
        db.engine.dispose()
