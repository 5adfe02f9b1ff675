"""/healthz: 503 with the reason when the database file is missing, the schema is not at the
migration head or the upload folder cannot be written."""
from __future__ import annotations

from pathlib import Path

from flask_migrate import stamp, upgrade

from app import create_app
from app.core.config import TestConfig
from models import db


def make_app(tmp_path, database: Path):
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
    return create_app(config, instance_path=str(tmp_path / "instance"))


def test_healthz_is_ok_when_everything_is(client):
    assert client.get("/healthz").status_code == 200


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path):
    database = tmp_path / "gone.sqlite3"
    application = make_app(tmp_path, database)
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert any("SQLite file is missing" in p for p in response.get_json()["problems"])
    assert not database.exists()


def test_a_schema_behind_the_migration_head_is_reported(tmp_path):
    database = tmp_path / "old.sqlite3"
    application = make_app(tmp_path, database)
    with application.app_context():
        upgrade(revision="0006")
        db.engine.dispose()
    response = application.test_client().get("/healthz")
    assert response.status_code == 503
    assert any(p.startswith("schema: at ['0006']") for p in response.get_json()["problems"])
    with application.app_context():
        stamp()
        db.engine.dispose()
    assert application.test_client().get("/healthz").status_code == 200


def test_an_unwritable_upload_folder_is_reported(app, client):
    uploads = Path(app.instance_path) / "uploads"
    moved = Path(app.instance_path) / "uploads.moved"
    if uploads.exists():
        uploads.rename(moved)
    uploads.write_text("a file where the folder should be")
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert any(p.startswith("uploads:") for p in response.get_json()["problems"])
    finally:
        uploads.unlink()
        if moved.exists():
            moved.rename(uploads)
    assert client.get("/healthz").status_code == 200
