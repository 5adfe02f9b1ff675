"""Demo regulatory needs from the seed study (rockets, drones, visas, hydrogen, offshore wind,
English administration) at various states, the laws and special measures on file, and one package."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.passwords import hash_password
from app.needs.reference_queries import load_reference_data
from models import (
    BusinessStage,
    Confidentiality,
    EventKind,
    NationalRoute,
    NeedEvent,
    NeedStatus,
    PackageEvent,
    PackageStatus,
    ProposalPackage,
    RegulatoryNeed,
    Role,
    SpecialMeasure,
    Urgency,
    User,
    db,
    utcnow,
)

from .base import DEMO_PASSWORD, DemoContext, read_rows

# The pipeline a demo need went through to reach its state (for its timeline).
PATH = [NeedStatus.RECEIVED, NeedStatus.REGULATION_IDENTIFIED, NeedStatus.EVIDENCE, NeedStatus.LEGAL_CHECK,
        NeedStatus.RELIEF_DRAFTED, NeedStatus.COORDINATION, NeedStatus.PROPOSED]


def load_needs_reference(context: DemoContext) -> None:
    load_reference_data()


def _space_user(context: DemoContext) -> User:
    """The rocket start-up has no login in users.csv; its needs come from this demo user."""
    user = db.session.scalar(select(User).where(User.email == "space@demo.example"))
    if user is None:
        user = User(email="space@demo.example", name="宇宙 六郎", password_hash=hash_password(DEMO_PASSWORD),
                    role=Role.MEMBER, organisation=context.organisations["space"], is_org_admin=True)
        db.session.add(user)
    context.users[user.email] = user
    return user


def _history(need: RegulatoryNeed, staff: User, note: str) -> None:
    when = utcnow() - timedelta(days=60)
    need.submitted_at = when
    need.events.append(NeedEvent(kind=EventKind.SUBMITTED, actor=need.submitter, to_status=NeedStatus.RECEIVED,
                                 created_at=when))
    target = need.status
    chain = PATH[:PATH.index(target) + 1] if target in PATH else [NeedStatus.RECEIVED, target]
    for step, (old, new) in enumerate(zip(chain, chain[1:]), start=1):
        need.events.append(NeedEvent(kind=EventKind.STATUS, actor=staff, from_status=old, to_status=new,
                                     body="事務局で確認し、次の段階に進めました。", created_at=when + timedelta(days=5 * step)))
    if note:
        need.events.append(NeedEvent(kind=EventKind.INTERNAL_NOTE, actor=staff, body=note,
                                     created_at=when + timedelta(days=40)))


def load_needs(context: DemoContext) -> None:
    if db.session.scalar(select(RegulatoryNeed.id).limit(1)) is not None:
        return
    _space_user(context)
    staff = context.users["secretariat@demo.example"]
    measures = {m.code: m for m in db.session.scalars(select(SpecialMeasure))}
    needs = {}
    for row in read_rows("needs.csv"):
        submitter = context.users[row["submitter"]]
        need = RegulatoryNeed(
            title=row["title"], business=row["business"], stage=BusinessStage(row["stage"]), tags=row["tags"],
            law_name=row["law_name"], law_article=row["law_article"], law_unknown=not row["law_name"],
            interpretation=row["interpretation"], obstacle=row["obstacle"], relief=row["relief"],
            evidence=row["evidence"], urgency=Urgency(row["urgency"]),
            confidentiality=Confidentiality(row["confidentiality"]), public_summary=row["public_summary"],
            status=NeedStatus(row["status"]), submitter=submitter, organisation_id=submitter.organisation.id,
            national_route=NationalRoute(row["route"]) if row["route"] else None, route_reason=row["route_reason"],
            measures=[measures[c] for c in row["measures"].split(";") if c in measures],
            assignee=staff if row["status"] not in ("draft", "received") else None,
        )
        db.session.add(need)
        if need.status != NeedStatus.DRAFT:
            _history(need, staff, row["note"])
        needs[row["key"]] = need
    db.session.flush()
    package = ProposalPackage(
        title="宇宙関連規制の一括提案（ロケット打上げ・燃焼試験）", status=PackageStatus.SUBMITTED,
        proposal_text="北海道スペースポートでの燃焼試験と打上げに係る高圧ガス保安法・火薬類取締法の手続を、"
                      "射場の運用計画単位でまとめて許可できるよう提案する。関係省庁（経済産業省・内閣府）と一括で協議したい。",
        submitted_on=date.today() - timedelta(days=10), submitted_to="内閣府地方創生推進事務局",
        created_by_id=staff.id, needs=[needs["rocket_gas"], needs["rocket_explosives"]])
    package.events = [
        PackageEvent(to_status=PackageStatus.DRAFT, note="パッケージを作成", actor_id=staff.id),
        PackageEvent(from_status=PackageStatus.DRAFT, to_status=PackageStatus.SUBMITTED, note="提案募集に提出",
                     actor_id=staff.id),
    ]
    db.session.add(package)
