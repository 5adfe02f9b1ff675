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
from models.matching import include_in_comparison


def _search_storage(connection) -> str | None:
    """PostgreSQL: how the search tokens are stored ("m": in the row; migration scale_03); SQLite: None."""
    if connection.dialect.name != "postgresql":
        return None
    return connection.exec_driver_sql("SELECT attstorage FROM pg_attribute WHERE attrelid = 'match_analyses'::regclass "
                                      "AND attname = 'search'").scalar()


def test_the_models_keep_the_search_tokens_in_the_row_as_the_migrations_do(app):
    with db.engine.connect() as connection:
        assert _search_storage(connection) == ("m" if connection.dialect.name == "postgresql" else None)


def test_upgrade_to_head_matches_models_and_downgrade_to_base(tmp_path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_MIGRATION_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    application = create_app(config, instance_path=str(tmp_path))
    with application.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_in_comparison})
            differences = compare_metadata(context, db.metadata)
            storage = _search_storage(connection)
        assert differences == [], differences
        assert storage == ("m" if db.engine.dialect.name == "postgresql" else None)
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


def test_rel_03_moves_the_form_and_api_keys_into_one_table_and_back(tmp_path):
    """Keys stored before the merge of the two tables still answer repeats after it (and after a downgrade)."""
    from datetime import datetime, timezone

    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from app.core.config import PROJECT_ROOT

    from models import Role, User

    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_MIGRATION_DATABASE_URL") or f"sqlite:///{tmp_path / 'keys.sqlite3'}"
    application = create_app(config, instance_path=str(tmp_path))
    moment = datetime(2026, 12, 3, 10, tzinfo=timezone.utc)
    before = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_revision("rel_03").down_revision
    with application.app_context():
        upgrade(revision=before)
        users = [User(email=f"u{n}@example.org", name="u", password_hash="x", role=Role.MEMBER) for n in (1, 2)]
        db.session.add_all(users)  # the users table is the same before rel_03 and at head
        db.session.commit()
        one, two = users[0].id, users[1].id
        db.session.execute(text('INSERT INTO submissions ("key", user_id, result_url, created_at) '
                                "VALUES ('form-key-of-user-one-123', :u, '/needs/7', :t)"), {"u": one, "t": moment})
        db.session.execute(text('INSERT INTO api_idempotency_keys (user_id, "key", request_digest, result_url, created_at) '
                                "VALUES (:u, 'crm-4711', :d, '/api/v1/needs/8', :t)"), {"u": two, "d": "a" * 64, "t": moment})
        db.session.commit()
        db.session.remove()
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                'SELECT user_id, "key", request_digest, result_url FROM submission_keys ORDER BY user_id')).all()
        assert [tuple(r) for r in rows] == [(one, "form-key-of-user-one-123", None, "/needs/7"),
                                            (two, "crm-4711", "a" * 64, "/api/v1/needs/8")]
        downgrade(revision=before)
        with db.engine.connect() as connection:
            assert [tuple(r) for r in connection.execute(text('SELECT "key", user_id, result_url FROM submissions'))] == [
                ("form-key-of-user-one-123", one, "/needs/7")]
            assert [tuple(r) for r in connection.execute(text(
                'SELECT user_id, "key", result_url FROM api_idempotency_keys'))] == [(two, "crm-4711", "/api/v1/needs/8")]
        downgrade(revision="base")
        db.engine.dispose()
