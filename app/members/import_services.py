"""Importing organisations and people from CSV (checked row by row, all or nothing) and exporting the directory."""
from __future__ import annotations

import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from sqlalchemy import Select, select

from app.auth.services import normalise_email
from app.core import audit
from app.permissions import Refused
from app.web.csvfiles import UnreadableFile, read_rows, write_csv
from app.web.inputs import has_control_characters
from models import (
    CAPABILITY_KINDS,
    IndustryCategory,
    MembershipTier,
    Organisation,
    OrganisationStatus,
    Role,
    Sector,
    User,
    db,
    utcnow,
)

from .permissions import can_manage_membership
from .services import split_tags

log = logging.getLogger(__name__)

COLUMNS = ["name_ja", "name_en", "sector", "category", "tier", "status", "municipality", "address", "website",
           "contact_email", "phone", "description", "capabilities", *CAPABILITY_KINDS, "person_name", "person_email"]
REQUIRED_COLUMNS = ("name_ja", "sector")
SECTOR_ALIASES = {"産": Sector.INDUSTRY, "学": Sector.ACADEMIA, "官": Sector.GOVERNMENT, "民": Sector.CITIZENS, "金": Sector.FINANCE}
CATEGORY_ALIASES = {"地元大手": IndustryCategory.LOCAL_LARGE, "在京企業": IndustryCategory.TOKYO_BASED,
                    "中小企業": IndustryCategory.SME, "スタートアップ": IndustryCategory.STARTUP}
TIER_ALIASES = {"正会員": MembershipTier.REGULAR, "賛助会員": MembershipTier.SUPPORTING, "特別会員": MembershipTier.SPECIAL}
MAX_ROWS = 5000


@dataclass
class ImportRow:
    line: int  # the row's line in the file (the header is line 1)
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    adds_person_only: bool = False  # the row adds a person to an organisation named before


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)


def _parse_enum(value: str, enum_cls, aliases: dict):
    if value in aliases:
        return aliases[value]
    try:
        return enum_cls(value.lower())
    except ValueError:
        return None


def _check_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def preview_import(data: bytes) -> ImportPreview:
    """Check every row; nothing is written. Each row carries its own errors."""
    preview = ImportPreview()
    try:
        header, rows = read_rows(data)
    except UnreadableFile:
        preview.file_errors.append(gettext("The file is not UTF-8 or Shift_JIS text. Save it from Excel as CSV and try again."))
        return preview
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing:
        preview.file_errors.append(gettext("Missing columns: %(columns)s", columns=", ".join(missing)))
    if unknown:
        preview.file_errors.append(gettext("Unknown columns: %(columns)s", columns=", ".join(unknown)))
    if len(rows) > MAX_ROWS:
        preview.file_errors.append(gettext("The file has more than %(max)s rows.", max=MAX_ROWS))
    if preview.file_errors:
        return preview
    if not rows:
        preview.file_errors.append(gettext("The file has no rows."))
    existing_names = set(db.session.scalars(select(Organisation.name_ja)))
    existing_emails = set(db.session.scalars(select(User.email)))
    seen_names: set[str] = set()
    seen_emails: set[str] = set()
    for number, values in enumerate(rows, start=2):
        row = ImportRow(line=number, values={c: values.get(c, "") for c in COLUMNS})
        known = row.values["name_ja"] in existing_names or row.values["name_ja"] in seen_names
        if known and is_person_row(row.values):
            row.adds_person_only = True
            _check_person(row, existing_emails | seen_emails, required=True)
        else:
            _check_row(row, existing_names | seen_names, existing_emails | seen_emails)
        if any(has_control_characters(value) for value in values.values()):
            row.errors.append(gettext("This row contains control characters (such as NUL) that cannot be stored."))
        seen_names.add(row.values["name_ja"])
        if row.values["person_email"]:
            seen_emails.add(normalise_email(row.values["person_email"]))
        preview.rows.append(row)
    return preview


def _check_row(row: ImportRow, taken_names: set[str], taken_emails: set[str]) -> None:
    v, errors = row.values, row.errors
    if not v["name_ja"]:
        errors.append(gettext("The Japanese name is missing."))
    elif v["name_ja"] in taken_names:
        errors.append(gettext("An organisation named %(name)s already exists. To add a person to it, fill in only "
                              "name_ja, person_name and person_email.", name=v["name_ja"]))
    if not v["sector"]:
        errors.append(gettext("The sector is missing: give industry, academia, government, citizens or finance (or 産, 学, 官, 民, 金)."))
    elif _parse_enum(v["sector"], Sector, SECTOR_ALIASES) is None:
        errors.append(gettext("Unknown sector: %(value)s", value=v["sector"]))
    if v["category"] and _parse_enum(v["category"], IndustryCategory, CATEGORY_ALIASES) is None:
        errors.append(gettext("Unknown category: %(value)s", value=v["category"]))
    if v["tier"] and _parse_enum(v["tier"], MembershipTier, TIER_ALIASES) is None:
        errors.append(gettext("Unknown tier: %(value)s", value=v["tier"]))
    if v["status"] and _parse_enum(v["status"], OrganisationStatus, {}) is None:
        errors.append(gettext("Unknown status: %(value)s", value=v["status"]))
    if v["website"] and not v["website"].startswith(("https://", "http://")):
        errors.append(gettext("The website must start with https:// or http://: %(value)s", value=v["website"]))
    if v["contact_email"] and not _check_email(v["contact_email"]):
        errors.append(gettext("Invalid contact e-mail: %(value)s", value=v["contact_email"]))
    _check_person(row, taken_emails, required=False)
    for name, limit in (("name_ja", 200), ("name_en", 200), ("municipality", 100), ("address", 300), ("website", 300), ("phone", 40)):
        if len(v[name]) > limit:
            errors.append(gettext("%(column)s is longer than %(max)s characters.", column=name, max=limit))


def is_person_row(values: dict[str, str]) -> bool:
    """A row that only names an organisation and a person: it adds the person to that organisation."""
    return all(not values[c] for c in COLUMNS if c not in ("name_ja", "person_name", "person_email"))


def _check_person(row: ImportRow, taken_emails: set[str], required: bool) -> None:
    v, errors = row.values, row.errors
    if required and not v["person_email"]:
        errors.append(gettext("The person's e-mail address is missing."))
    if v["person_email"]:
        if not _check_email(v["person_email"]):
            errors.append(gettext("Invalid person e-mail: %(value)s", value=v["person_email"]))
        elif normalise_email(v["person_email"]) in taken_emails:
            errors.append(gettext("A person with the e-mail %(value)s already exists.", value=v["person_email"]))
        if not v["person_name"]:
            errors.append(gettext("The person's name is missing."))


def run_import(actor: User, data: bytes) -> list[Organisation]:
    """Write every row, or nothing if any row has an error (the caller commits once)."""
    if not can_manage_membership(actor):
        raise Refused(gettext("Only the secretariat imports organisations."))
    preview = preview_import(data)
    if not preview.ok:
        raise ValueError("the file has errors; preview it first")
    created: list[Organisation] = []
    by_name = {o.name_ja: o for o in db.session.scalars(select(Organisation))}
    for row in preview.rows:
        v = row.values
        if row.adds_person_only:
            _add_person(by_name[v["name_ja"]], v, admin=False)
            continue
        organisation = _new_organisation(v)
        db.session.add(organisation)
        by_name[organisation.name_ja] = organisation
        if v["person_email"]:
            _add_person(organisation, v, admin=True)
        created.append(organisation)
    db.session.flush()
    audit.record("organisations.imported", None, actor=actor, count=len(created))
    return created


def _new_organisation(v: dict[str, str]) -> Organisation:
    status = _parse_enum(v["status"], OrganisationStatus, {}) if v["status"] else OrganisationStatus.ACTIVE
    sector = _parse_enum(v["sector"], Sector, SECTOR_ALIASES)
    category = _parse_enum(v["category"], IndustryCategory, CATEGORY_ALIASES) if v["category"] else None
    return Organisation(
        name_ja=v["name_ja"], name_en=v["name_en"], sector=sector, status=status,
        category=category if sector == Sector.INDUSTRY else None,
        tier=_parse_enum(v["tier"], MembershipTier, TIER_ALIASES) if v["tier"] else None,
        municipality=v["municipality"], address=v["address"], website=v["website"], contact_email=v["contact_email"],
        phone=v["phone"], description=v["description"], capabilities=v["capabilities"],
        capability_tags={kind: split_tags(v[kind]) for kind in CAPABILITY_KINDS if v[kind]},
        joined_at=utcnow() if status == OrganisationStatus.ACTIVE else None,
    )


def _add_person(organisation: Organisation, v: dict[str, str], admin: bool) -> None:
    # No usable password (not a valid hash, so no login): the person sets one through "forgot password".
    db.session.add(User(email=normalise_email(v["person_email"]), name=v["person_name"], organisation=organisation,
                        password_hash="!imported-" + secrets.token_hex(16), is_org_admin=admin,
                        role=Role.MEMBER if organisation.status == OrganisationStatus.ACTIVE else Role.APPLICANT))


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PREVIEW_MAX_AGE_SECONDS = 24 * 3600  # an import preview not confirmed within a day is abandoned


def discard_abandoned_uploads(now: float | None = None) -> int:
    """Delete previewed files older than a day (never confirmed nor cancelled). Returns how many."""
    cutoff = (now or time.time()) - PREVIEW_MAX_AGE_SECONDS
    removed = 0
    for path in upload_folder().glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed


def store_upload(data: bytes) -> str:
    """Keep the uploaded file under a generated name until the import is confirmed."""
    discard_abandoned_uploads()
    name = uuid.uuid4().hex
    (upload_folder() / f"{name}.csv").write_bytes(data)
    return name


def load_upload(name: str) -> bytes | None:
    if len(name) != 32 or not all(c in "0123456789abcdef" for c in name):
        return None
    path = upload_folder() / f"{name}.csv"
    return path.read_bytes() if path.exists() else None


def discard_upload(name: str) -> None:
    if load_upload(name) is not None:
        (upload_folder() / f"{name}.csv").unlink()


def export_directory(stmt: Select) -> bytes:
    """The organisations of `stmt` (a visible scope) in the import's columns, ready for Excel."""
    rows = []
    for o in db.session.scalars(stmt.order_by(Organisation.name_ja, Organisation.id)):
        rows.append([o.name_ja, o.name_en, o.sector.value, o.category.value if o.category else "", o.tier.value if o.tier else "",
                     o.status.value, o.municipality, o.address, o.website, o.contact_email, o.phone, o.description,
                     o.capabilities, *["、".join(o.tags_of(kind)) for kind in CAPABILITY_KINDS], "", ""])
    return write_csv(COLUMNS, rows)
