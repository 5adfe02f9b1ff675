"""`flask backup` and `flask restore`: the database and the instance's files in one dated archive.

The archive (`thinkdo-backup-<UTC time>.tar.gz`) holds
- `manifest.json`: when, which engine, the schema's migration revision, the row count of every table
  and the SHA-256 and size of every other member;
- the database, taken online while the app serves: SQLite through the online backup API (one
  consistent snapshot; never a file copy of a live WAL database, which loses committed rows), or
  PostgreSQL through `pg_dump --format=custom` on a snapshot exported by the same transaction that
  counts the rows;
- `files/`: the uploaded files (`instance/uploads`), the development mail folder (`instance/outbox`)
  and the secretariat's synonyms (`instance/synonyms.tsv`). The e-mail outbox proper is a table
  (`outgoing_mails`) and travels with the database.

A restore reads the whole archive into a staging folder and checks it (every checksum, the manifest,
SQLite's integrity check, `pg_restore --list`) and compares the backup's revision with the code's
migration head before it touches anything; it refuses a target that holds data unless told to
replace it. The database is then replaced in one transaction (SQLite's backup API into the target,
`pg_restore --single-transaction`), and only after that the files are swapped in.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess  # pg_dump/pg_restore with argument lists, never a shell  # nosec B404
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from flask import current_app
from sqlalchemy import Select, func, inspect, select, text
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.engine import URL, make_url

from models import db

from .database import migration_heads

FORMAT = "thinkdo-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
# What of the instance folder a backup carries (everything else there is derived or temporary:
# CSV import previews, the development secret key, compiled caches).
INSTANCE_FILES = ("uploads", "outbox", "synonyms.tsv")
CHUNK = 1024 * 1024


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Manifest:
    engine: str
    revision: list[str]
    created_at: str
    tables: dict[str, int]
    files: dict[str, dict] = field(default_factory=dict)  # member name -> {"sha256", "size"}

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "engine": self.engine,
                           "revision": self.revision, "created_at": self.created_at, "tables": self.tables,
                           "files": self.files}, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT or raw.get("version") != FORMAT_VERSION:
                raise BackupError(f"not a {FORMAT} archive of version {FORMAT_VERSION}")
            return cls(engine=str(raw["engine"]), revision=sorted(map(str, raw["revision"])),
                       created_at=str(raw["created_at"]), tables={str(k): int(v) for k, v in raw["tables"].items()},
                       files={str(k): {"sha256": str(v["sha256"]), "size": int(v["size"])} for k, v in raw["files"].items()})
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"the archive's manifest is damaged ({error})") from None


def model_tables() -> list[str]:
    return sorted(table.name for table in db.metadata.sorted_tables)


def _count(name: str) -> Select:
    return select(func.count()).select_from(db.metadata.tables[name])


def _database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _engine_name(url: URL) -> str:
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {backend}")
    return backend


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _utc_stamp() -> tuple[str, str]:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    return now.isoformat().replace("+00:00", "Z"), now.strftime("%Y%m%dT%H%M%SZ")


# ---------------------------------------------------------------------------------------------- backup

def create_backup(output_dir: Path) -> tuple[Path, Manifest]:
    """Write a dated archive into `output_dir` and return its path and manifest.

    The archive appears under its final name only when complete (written under a temporary name in
    the same folder, then renamed), so a crash never leaves a half archive that looks whole."""
    url = _database_url()
    engine = _engine_name(url)
    created_at, stamp = _utc_stamp()
    output_dir.mkdir(parents=True, exist_ok=True)
    instance = Path(current_app.instance_path)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=output_dir) as staging_name:
        staging = Path(staging_name)
        # Files before and after the snapshot: an uploaded file is written before its row commits, so
        # every file the snapshot refers to is in the first pass (even if deleted meanwhile) or the second.
        _stage_files(instance, staging / "files", refresh=False)
        if engine == "sqlite":
            member = SQLITE_MEMBER
            revision, tables = _dump_sqlite(_sqlite_path(url), staging / member)
        else:
            member = POSTGRES_MEMBER
            revision, tables = _dump_postgres(url, staging / member)
        _stage_files(instance, staging / "files", refresh=True)
        manifest = Manifest(engine=engine, revision=revision, created_at=created_at, tables=tables)
        members = [(member, staging / member)] + [
            (f"files/{path.relative_to(staging / 'files').as_posix()}", path)
            for path in sorted((staging / "files").rglob("*")) if path.is_file()]
        for name, path in members:
            manifest.files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        archive = output_dir / f"thinkdo-backup-{stamp}.tar.gz"
        if archive.exists():
            archive = output_dir / f"thinkdo-backup-{stamp}-{secrets.token_hex(2)}.tar.gz"
        partial = staging / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, manifest.to_json())
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)  # personal data: readable by the app's user only
        os.replace(partial, archive)
    return archive, manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(timezone.utc).timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _stage_files(instance: Path, staged: Path, *, refresh: bool) -> None:
    """Copy the instance files the backup carries into `staged`. With `refresh`, copy only what is new
    since the first pass, and the one file that changes in place (the synonyms)."""
    for top in INSTANCE_FILES:
        path = instance / top
        if path.is_file():
            items = [path]
        elif path.is_dir():
            items = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink() and not p.name.startswith(".healthz-")]
        else:
            items = []
        for item in items:
            target = staged / item.relative_to(instance)
            if refresh and target.exists() and item.parent != instance:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(item, target)
            except FileNotFoundError:  # deleted while we copied: the first or the second pass has it
                continue


def _dump_sqlite(database: Path, target: Path) -> tuple[list[str], dict[str, int]]:
    """One consistent snapshot through SQLite's online backup API (writers go on meanwhile, WAL)."""
    if not database.is_file():
        raise BackupError(f"the SQLite database {database} does not exist")
    source = sqlite3.connect(database, timeout=30)  # only reads (the backup API never writes its source)
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout=30000")
        source.backup(copy)  # all pages in one step: one read transaction, so one point in time
    finally:
        source.close()
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file, no -wal beside it
        return _sqlite_revision_and_counts(copy)
    finally:
        copy.close()


def _sqlite_revision_and_counts(connection: sqlite3.Connection) -> tuple[list[str], dict[str, int]]:
    present = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    revision = sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version")) \
        if "alembic_version" in present else []
    tables = {name: connection.execute(str(_count(name).compile(dialect=sqlite_dialect()))).fetchone()[0]
              for name in model_tables() if name in present}
    return revision, tables


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq's variables for the app's database (the password never appears on a command line)."""
    query = {k: v if isinstance(v, str) else v[0] for k, v in url.query.items()}  # ?host=/run/postgresql (a socket)
    env = {**os.environ, "PGDATABASE": url.database or "", "PGHOST": url.host or query.get("host", ""),
           "PGUSER": url.username or query.get("user", "")}
    if url.port or query.get("port"):
        env["PGPORT"] = str(url.port or query["port"])
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return {k: v for k, v in env.items() if v != ""}


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH; install PostgreSQL's client tools (Debian: apt-get install "
                          f"postgresql-client, of the server's major version or newer) and try again")
    return path


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # an argument list of our own  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result


def _dump_postgres(url: URL, target: Path) -> tuple[list[str], dict[str, int]]:
    """pg_dump on a snapshot exported by the transaction that reads the revision and counts the rows."""
    pg_dump = _pg_tool("pg_dump")
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            present = set(inspect(connection).get_table_names())
            revision = sorted(connection.scalars(text("SELECT version_num FROM alembic_version"))) \
                if "alembic_version" in present else []
            tables = {name: connection.scalar(_count(name)) for name in model_tables() if name in present}
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner", "--no-privileges",
                  f"--file={target}"], _pg_environment(url))
    return revision, tables


# --------------------------------------------------------------------------------------------- restore

@dataclass
class Restored:
    manifest: Manifest
    tables: dict[str, int]  # row counts in the restored database
    files: int


def restore_backup(archive: Path, *, replace: bool = False) -> Restored:
    """Check the archive completely, then replace the database and the instance files with it.

    Refuses (BackupError, nothing changed) when the archive is unreadable or damaged, was made by
    another engine, is at another migration revision than this code, or when the target holds data
    and `replace` is not set."""
    url = _database_url()
    engine = _engine_name(url)
    instance = Path(current_app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=instance) as staging_name:
        staging = Path(staging_name)
        manifest = _unpack(archive, staging)
        if manifest.engine != engine:
            raise BackupError(f"the backup is of a {manifest.engine} database; this app uses {engine}")
        if not (staging / (SQLITE_MEMBER if engine == "sqlite" else POSTGRES_MEMBER)).is_file():
            raise BackupError("the archive holds no database")
        heads = migration_heads()
        if manifest.revision != heads:
            raise BackupError(
                f"the backup's schema is at migration {manifest.revision or 'nothing'}, this code at {heads}: restore "
                "it with the version of the code that made it, then run `flask db upgrade`")
        if not replace:
            held = _data_in_target(url, instance)
            if held:
                raise BackupError(f"the target already holds data ({held}); add --replace to overwrite it with the backup")
        if engine == "sqlite":
            _check_sqlite_copy(staging / SQLITE_MEMBER, manifest)
            _restore_sqlite(staging / SQLITE_MEMBER, _sqlite_path(url))
        else:
            pg_restore = _pg_tool("pg_restore")
            _run([pg_restore, "--list", str(staging / POSTGRES_MEMBER)], _pg_environment(url))
            db.session.remove()
            db.engine.dispose()  # no connection of ours holds locks the restore needs
            _run([pg_restore, "--single-transaction", "--exit-on-error", "--clean", "--if-exists", "--no-owner",
                  "--no-privileges", f"--dbname={url.database}", str(staging / POSTGRES_MEMBER)], _pg_environment(url))
        db.session.remove()
        db.engine.dispose()
        files = _swap_files(staging / "files", instance)
    tables = _current_counts()
    if tables != manifest.tables:
        differing = sorted(name for name in set(tables) | set(manifest.tables) if tables.get(name) != manifest.tables.get(name))
        raise BackupError(f"restored, but the row counts differ from the backup's in {', '.join(differing)}")
    return Restored(manifest=manifest, tables=tables, files=files)


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _unpack(archive: Path, staging: Path) -> Manifest:
    """Read every member into `staging`, checking names, sizes and checksums against the manifest."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError("the archive does not start with a manifest: not a backup of this platform")
            manifest = Manifest.from_json(tar.extractfile(first).read())
            seen: set[str] = set()
            while (member := tar.next()) is not None:
                if not member.isfile() or member.name not in manifest.files or not _safe_member_name(member.name):
                    raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                expected = manifest.files[member.name]
                if digest.hexdigest() != expected["sha256"] or target.stat().st_size != expected["size"]:
                    raise BackupError(f"{member.name} in the archive is damaged (its checksum differs from the manifest's)")
                seen.add(member.name)
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:  # gzip/zlib errors are OSError/EOFError
        raise BackupError(f"the archive cannot be read: it is truncated or damaged ({type(error).__name__}: {error})") from None
    missing = sorted(set(manifest.files) - seen)
    if missing:
        raise BackupError(f"the archive is incomplete: {', '.join(missing[:5])} missing")
    return manifest


def _check_sqlite_copy(path: Path, manifest: Manifest) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = connection.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(f"the database in the archive fails SQLite's integrity check: {check[:3]}")
            revision, tables = _sqlite_revision_and_counts(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database in the archive cannot be read ({error})") from None
    if revision != manifest.revision or tables != manifest.tables:
        raise BackupError("the database in the archive does not match its manifest")


def _data_in_target(url: URL, instance: Path) -> str:
    """What data the target already has ("" when none): rows in any model table, or uploaded files."""
    held: list[str] = []
    database_exists = not (url.get_backend_name() == "sqlite" and not _sqlite_path(url).is_file())
    if database_exists:
        counts = _current_counts()
        rows = sum(counts.values())
        if rows:
            held.append(f"{rows} rows in {sum(1 for n in counts.values() if n)} tables")
    uploads = [path for path in (instance / "uploads").rglob("*") if path.is_file() and not path.name.startswith(".healthz-")] \
        if (instance / "uploads").is_dir() else []
    if uploads:
        held.append(f"{len(uploads)} uploaded files")
    return ", ".join(held)


def _current_counts() -> dict[str, int]:
    with db.engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {name: connection.scalar(_count(name)) for name in model_tables() if name in present}


def _restore_sqlite(copy: Path, database: Path) -> None:
    """Copy the checked snapshot into the target in one write transaction (the backup API again), so a
    failure leaves the target as it was and open connections elsewhere see either before or after."""
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        target.execute("PRAGMA busy_timeout=30000")
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        raise BackupError(f"writing the SQLite database {database} failed ({error}); it is unchanged") from None
    finally:
        source.close()
        target.close()


def _swap_files(staged: Path, instance: Path) -> int:
    """Put the archive's instance files in place of the current ones; returns how many files."""
    count = 0
    for top in INSTANCE_FILES:
        current, new = instance / top, staged / top
        if new.exists():
            count += 1 if new.is_file() else sum(1 for p in new.rglob("*") if p.is_file())
        old = instance / f".before-restore-{secrets.token_hex(4)}-{top}"
        if current.exists():
            os.replace(current, old)
        if new.exists():
            os.replace(new, current)
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    return count
