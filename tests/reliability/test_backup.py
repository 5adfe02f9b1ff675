"""`flask backup` and `flask restore` on the suite's engine (SQLite, or PostgreSQL under `make test-postgres`):
an online backup taken while writes go on is one consistent point in time, restores into an empty
instance with every row and file, refuses to overwrite data without --replace and a backup of another
migration revision, and a truncated or damaged archive is refused with a clear message and the target
left as it was."""
from __future__ import annotations

import io
import json
import secrets
import shutil
import tarfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app import create_app
from app.core.backup import BackupError, _pg_tool
from app.core.config import TestConfig
from app.core.mail import queue_mail
from models import Organisation, OutgoingMail, RegulatoryNeed, Role, User, db

PDF = b"%PDF-1.4\n" + secrets.token_bytes(3000)


@pytest.fixture
def source(app):
    """The suite's app with some content: a need, an uploaded file, an e-mail waiting in the outbox."""
    uploads = Path(app.instance_path) / "uploads"
    yield app
    shutil.rmtree(uploads / "backup-test", ignore_errors=True)
    shutil.rmtree(Path(app.instance_path) / "backups", ignore_errors=True)


@pytest.fixture
def empty_target(app, tmp_path):
    """A second app instance on an empty database (a new SQLite file, or a new PostgreSQL database)."""
    config = TestConfig()
    source_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    created = None
    if source_url.get_backend_name() == "postgresql":
        created = f"restore_{secrets.token_hex(4)}"
        admin = create_engine(source_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{created}"'))
        config.SQLALCHEMY_DATABASE_URI = source_url.set(database=created).render_as_string(hide_password=False)
    else:
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'target' / 'restored.sqlite3'}"
    target = create_app(config, instance_path=str(tmp_path / "target"))
    yield target
    with target.app_context():
        db.session.remove()
        db.engine.dispose()
    if created:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{created}" WITH (FORCE)'))
        admin.dispose()


def _content(make_user, make_need, app):
    member = make_user(Role.MEMBER, email="backup-member@example.org", name="バックアップ 太郎")
    need = make_need(member, title="雪道での自動運転バスの実証を認めてほしい")
    folder = Path(app.instance_path) / "uploads" / "backup-test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evidence.pdf").write_bytes(PDF)
    queue_mail("someone@example.org", "件名", "本文")
    db.session.commit()
    return member, need


def _backup(app) -> Path:
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    archives = sorted((Path(app.instance_path) / "backups").glob("thinkdo-backup-*.tar.gz"))
    assert archives and str(archives[-1]) in result.output
    assert archives[-1].stat().st_mode & 0o777 == 0o600  # personal data: the app's user only
    return archives[-1]


def _restore(target, archive: Path, *extra: str):
    # the command runs in the app context already pushed, so push the target's (the suite's app has one open)
    with target.app_context():
        return target.test_cli_runner().invoke(args=["restore", str(archive), *extra])


def _tables(app) -> list[str]:
    with app.app_context():
        with db.engine.connect() as connection:
            return inspect(connection).get_table_names()


class Writers:
    """Threads committing an organisation and its user in one transaction, over and over."""

    def __init__(self, app, threads: int = 2):
        self.app, self.stop, self.committed, self.errors = app, threading.Event(), [], []
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, n: int) -> None:
        with self.app.app_context():
            i = 0
            while not self.stop.is_set():
                i += 1
                name = f"writer-{n}-{i}"
                try:
                    with Session(db.engine) as session, session.begin():
                        organisation = Organisation(name_ja=name)
                        session.add(organisation)
                        session.add(User(email=f"{name}@example.org", name=name, password_hash="x", role=Role.MEMBER,
                                         organisation=organisation))
                    self.committed.append(name)
                except Exception as error:  # recorded and asserted on: a writer must never fail
                    self.errors.append(repr(error))
                    return

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_backup_taken_while_writes_run_restores_one_consistent_point_in_time_into_an_empty_instance(
        source, empty_target, make_user, make_need):
    member, need = _content(make_user, make_need, source)
    member_email, need_title = member.email, need.title
    db.session.close()  # the test holds no transaction (no SQLite lock) while writers and the backup run
    with Writers(source) as writers:
        deadline = time.monotonic() + 30
        while len(writers.committed) < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = len(writers.committed)
        archive = _backup(source)
        after_backup = len(writers.committed)
        while len(writers.committed) < after_backup + 10 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert writers.errors == []
    assert before >= 20 and len(writers.committed) > after_backup  # writes really ran during and after the backup
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())

    assert _tables(empty_target) == []  # the target really is empty
    result = _restore(empty_target, archive)
    assert result.exit_code == 0, result.output
    assert "row counts match" in result.output

    with empty_target.app_context():
        restored_writers = set(db.session.scalars(select(Organisation.name_ja).where(Organisation.name_ja.like("writer-%"))))
        users_of_writers = set(db.session.scalars(select(User.name).where(User.name.like("writer-%"))))
        # one point in time: every organisation with its user (never half a transaction), nothing
        # committed after the backup finished, everything committed before it started
        assert restored_writers == users_of_writers
        assert set(writers.committed[:before]) <= restored_writers <= set(writers.committed[:after_backup + 2])
        assert manifest["tables"]["organisations"] == db.session.scalar(select(func.count(Organisation.id)))
        restored_member = db.session.scalar(select(User).where(User.email == member_email))
        assert restored_member.name == "バックアップ 太郎"
        restored_need = db.session.scalar(select(RegulatoryNeed).where(RegulatoryNeed.title == need_title))
        assert restored_need.submitter_id == restored_member.id and restored_need.law_name == "航空法"
        assert db.session.scalar(select(OutgoingMail.subject)) == "件名"
        db.session.remove()
    restored_file = Path(empty_target.instance_path) / "uploads" / "backup-test" / "evidence.pdf"
    assert restored_file.read_bytes() == PDF


def test_restore_refuses_to_overwrite_data_without_replace(source, make_user, make_need):
    _content(make_user, make_need, source)
    archive = _backup(source)
    later = make_user(Role.MEMBER, email="after-the-backup@example.org")
    later_id = later.id
    db.session.close()

    refused = _restore(source, archive)
    assert refused.exit_code != 0 and "--replace" in refused.output and "already holds data" in refused.output
    assert db.session.get(User, later_id) is not None  # untouched
    db.session.close()

    replaced = _restore(source, archive, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert db.session.get(User, later_id) is None  # back to the backup's point in time
    assert db.session.scalar(select(User.name).where(User.email == "backup-member@example.org")) == "バックアップ 太郎"


def _rewrite(archive: Path, change) -> Path:
    """A copy of the archive with its manifest changed by `change(manifest_dict)`."""
    copy = archive.with_name("changed-" + archive.name)
    with tarfile.open(archive) as old, tarfile.open(copy, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return copy


@pytest.mark.parametrize("change", ["revision", "engine"])
def test_restore_refuses_a_backup_of_another_migration_revision_or_engine(change, source, empty_target, make_user, make_need):
    _content(make_user, make_need, source)
    db.session.close()
    if change == "revision":
        archive = _rewrite(_backup(source), lambda manifest: manifest.update(revision=["0006"]))
    else:
        archive = _rewrite(_backup(source), lambda manifest: manifest.update(
            engine="postgresql" if manifest["engine"] == "sqlite" else "sqlite"))
    result = _restore(empty_target, archive)
    assert result.exit_code != 0
    if change == "revision":
        assert "migration ['0006']" in result.output and "flask db upgrade" in result.output
    else:
        assert "the backup is of a" in result.output and "database; this app uses" in result.output
    assert _tables(empty_target) == []
    assert not (Path(empty_target.instance_path) / "uploads" / "backup-test").exists()


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "not a backup", "tampered file"])
def test_a_damaged_archive_is_refused_with_a_clear_message_and_the_target_left_as_it_was(
        damage, source, empty_target, make_user, make_need, tmp_path):
    _content(make_user, make_need, source)
    db.session.close()
    archive = _backup(source)
    data = archive.read_bytes()
    broken = tmp_path / "broken.tar.gz"
    if damage == "truncated":
        broken.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        middle = len(data) // 2
        broken.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    elif damage == "not a backup":
        broken.write_bytes(b"hello, this is not an archive")
    else:  # a member replaced, the manifest left as it was
        with tarfile.open(archive) as old, tarfile.open(broken, "w:gz") as new:
            for member in old:
                content = old.extractfile(member).read()
                if member.name.endswith("evidence.pdf"):
                    content = content[:-1] + b"!"
                member.size = len(content)
                new.addfile(member, io.BytesIO(content))
    # the target: first with nothing, then with its own data that must survive a refused --replace
    result = _restore(empty_target, broken)
    assert result.exit_code != 0
    assert ("truncated or damaged" in result.output or "is damaged" in result.output
            or "checksum" in result.output), result.output
    assert "Traceback" not in result.output
    assert _tables(empty_target) == []
    assert not (Path(empty_target.instance_path) / "uploads").exists()


def test_a_damaged_archive_leaves_a_target_with_data_as_it_was_even_with_replace(source, make_user, make_need, tmp_path):
    _content(make_user, make_need, source)
    archive = _backup(source)
    kept = make_user(Role.MEMBER, email="kept@example.org")
    kept_id = kept.id
    db.session.close()
    broken = tmp_path / "truncated.tar.gz"
    broken.write_bytes(archive.read_bytes()[:-200])
    result = _restore(source, broken, "--replace")
    assert result.exit_code != 0 and "truncated or damaged" in result.output, result.output
    assert db.session.get(User, kept_id) is not None
    assert (Path(source.instance_path) / "uploads" / "backup-test" / "evidence.pdf").read_bytes() == PDF


def test_postgres_tools_missing_from_path_give_a_clear_message(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BackupError, match="pg_dump is not on PATH.*postgresql-client"):
        _pg_tool("pg_dump")


def test_files_deleted_or_added_while_the_database_is_dumped_are_in_the_archive(source, monkeypatch, make_user, make_need):
    """The snapshot may still refer to a file deleted during the dump, or to one uploaded just before
    its row committed: the archive has both (files are gathered before and after the snapshot)."""
    import app.core.backup as backup

    _content(make_user, make_need, source)
    db.session.close()
    folder = Path(source.instance_path) / "uploads" / "backup-test"
    name = "_dump_sqlite" if make_url(source.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite" else "_dump_postgres"
    dump = getattr(backup, name)

    def dump_while_files_change(*args):
        result = dump(*args)
        (folder / "evidence.pdf").unlink()
        (folder / "new.pdf").write_bytes(PDF[::-1])
        return result

    monkeypatch.setattr(backup, name, dump_while_files_change)
    archive = _backup(source)
    with tarfile.open(archive) as tar:
        assert tar.extractfile("files/uploads/backup-test/evidence.pdf").read() == PDF
        assert tar.extractfile("files/uploads/backup-test/new.pdf").read() == PDF[::-1]


def test_pg_dump_gets_the_database_url_through_libpq_variables_never_on_its_command_line():
    from app.core.backup import _pg_environment

    env = _pg_environment(make_url("postgresql+psycopg://thinkdo:s3cret@db.internal:5433/thinkdo"))
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"]) == (
        "db.internal", "5433", "thinkdo", "s3cret", "thinkdo")
    socket_env = _pg_environment(make_url("postgresql+psycopg://thinkdo@/thinkdo?host=/run/postgresql"))
    assert socket_env["PGHOST"] == "/run/postgresql"
