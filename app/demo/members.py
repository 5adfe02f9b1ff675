"""Demo membership: tiers and capability tags, more organisations of every sector and tier (types after the
study's list of organisation types, names fictional), applications, offices and this year's dues."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.passwords import hash_password
from app.core.fiscal import current_fiscal_year, fiscal_year_bounds
from models import (
    CAPABILITY_KINDS,
    Due,
    DueStatus,
    IndustryCategory,
    MembershipApplication,
    MembershipTier,
    Office,
    OfficeKind,
    Organisation,
    OrganisationStatus,
    Role,
    Sector,
    StatusChange,
    User,
    db,
    utcnow,
)

from .base import DEMO_PASSWORD, DemoContext, find_or_add, read_rows

DUES = {MembershipTier.REGULAR: 100_000, MembershipTier.SUPPORTING: 30_000, MembershipTier.SPECIAL: 0}


def _tags(row: dict[str, str]) -> dict[str, list[str]]:
    return {kind: [t for t in row[kind].split(";") if t] for kind in CAPABILITY_KINDS if row[kind]}


def load_member_profiles(context: DemoContext) -> None:
    for row in read_rows("member_profiles.csv"):
        organisation = context.organisations[row["key"]]
        organisation.tier = MembershipTier(row["tier"]) if row["tier"] else None
        organisation.contact_email = row["contact_email"]
        organisation.phone = row["phone"]
        organisation.address = row["address"]
        organisation.capability_tags = _tags(row)
        if organisation.is_member:
            organisation.joined_at = organisation.joined_at or utcnow() - timedelta(days=400)


# The support some demo members state in their profile (the others get their sector's usual support).
OFFERED_SUPPORT = {
    "rail": ["site_coordination", "monitors", "pr"],
    "proving": ["site_coordination", "partners"],
    "credit": ["funding", "partners"],
    "muroran": ["partners", "permits"],
}


def load_member_organisations(context: DemoContext) -> None:
    # `type` names the row's organisation type in the study's list; it is documentation, not stored.
    for row in read_rows("member_organisations.csv"):
        organisation = find_or_add(Organisation, {"name_ja": row["name_ja"]})
        organisation.name_en = row["name_en"]
        organisation.sector = Sector(row["sector"])
        organisation.category = IndustryCategory(row["category"]) if row["category"] else None
        organisation.tier = MembershipTier(row["tier"]) if row["status"] != "applicant" else None
        organisation.status = OrganisationStatus(row["status"])
        organisation.municipality = row["municipality"]
        organisation.latitude = float(row["latitude"])
        organisation.longitude = float(row["longitude"])
        organisation.website = f"https://{row['key']}.example"
        organisation.contact_email = f"info@{row['key']}.example"
        organisation.description = row["description"]
        organisation.capabilities = row["capabilities"]
        organisation.capability_tags = _tags(row)
        organisation.offered_support = OFFERED_SUPPORT.get(row["key"], [])
        if organisation.status != OrganisationStatus.APPLICANT:
            organisation.joined_at = utcnow() - timedelta(days=700)
        context.organisations[row["key"]] = organisation
        context.extra.setdefault("requested_tiers", {})[row["key"]] = MembershipTier(row["tier"])


def load_membership_history(context: DemoContext) -> None:
    db.session.flush()
    secretariat = context.users.get("secretariat@demo.example")
    for key in ("healthtech", "satellite"):
        organisation = context.organisations[key]
        db.session.add(MembershipApplication(
            organisation=organisation, tier=context.extra["requested_tiers"][key],
            message="実証実験の相談とあわせて入会を希望します。（デモ）"))
    for key, status, reason in (("suspended", OrganisationStatus.SUSPENDED, "会費未納のため休会（デモ）"),
                                ("withdrawn", OrganisationStatus.WITHDRAWN, "団体解散による退会（デモ）")):
        organisation = context.organisations[key]
        db.session.add(StatusChange(organisation=organisation, old_status=OrganisationStatus.ACTIVE,
                                    new_status=status, reason=reason, actor=secretariat))
    # A colleague of the demo member, so the colleagues page has someone to hand over to.
    email = "member-colleague@demo.example"
    if db.session.scalar(select(User).where(User.email == email)) is None:
        db.session.add(User(email=email, name="会員 三郎", password_hash=hash_password(DEMO_PASSWORD), role=Role.MEMBER,
                            organisation=context.organisations["drone"]))


def load_offices(context: DemoContext) -> None:
    start, end = fiscal_year_bounds(current_fiscal_year())
    term_end = date(end.year + 1, 3, 31)
    for kind, name, title, key in (
        (OfficeKind.CHAIR, "北原 健一", "代表取締役社長", "power"),
        (OfficeKind.VICE_CHAIR, "南 由紀", "副学長（産学連携担当）", "hokudai"),
        (OfficeKind.VICE_CHAIR, "東山 誠", "経済観光局長", "sapporo"),
        (OfficeKind.BOARD, "西田 理恵", "執行役員 GXファイナンス部長", "bank"),
        (OfficeKind.BOARD, "中川 翔", "代表取締役CEO", "drone"),
        (OfficeKind.BOARD, "大野 智子", "代表理事", "npo"),
    ):
        if db.session.scalar(select(Office).where(Office.person_name == name)) is None:
            db.session.add(Office(kind=kind, person_name=name, title=title, organisation=context.organisations[key],
                                  term_start=start, term_end=term_end))


def load_dues(context: DemoContext) -> None:
    db.session.flush()
    year = current_fiscal_year()
    start, _end = fiscal_year_bounds(year)
    members = db.session.scalars(select(Organisation).where(
        Organisation.status == OrganisationStatus.ACTIVE, Organisation.tier.is_not(None)).order_by(Organisation.name_ja))
    for number, organisation in enumerate(members):
        if db.session.scalar(select(Due).where(Due.organisation_id == organisation.id, Due.fiscal_year == year)):
            continue
        exempt = organisation.tier == MembershipTier.SPECIAL
        paid = not exempt and number % 3 != 0
        db.session.add(Due(
            organisation=organisation, fiscal_year=year, tier=organisation.tier, amount=DUES[organisation.tier],
            status=DueStatus.WAIVED if exempt else (DueStatus.PAID if paid else DueStatus.INVOICED),
            paid_on=start + timedelta(days=30 + number) if paid else None,
            note="会費免除（特別会員）" if exempt else ""))
