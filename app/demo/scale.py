"""`flask seed-scale --needs N`: synthetic, realistic data in proportion to N, for measuring pages at size.

Per need: about 3 % organisations, 15 % users, 5 % trial sites, 20 % trial requests, plus working groups,
meetings and audit rows (3.5 per need); texts in Japanese and English from `bench/synthetic.py`, 40 % of
the needs confidential. Rows go in with bulk INSERTs (explicit ids, batches of a few thousand), not one
ORM object at a time: 100,000 needs load in about a minute. Adds to what is there (ids continue).
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from bench import synthetic
from models import (
    AuditEntry,
    Confidentiality,
    GroupAxis,
    GroupMembership,
    GroupRole,
    Meeting,
    MembershipStatus,
    NeedStatus,
    Organisation,
    OrganisationStatus,
    RegulatoryNeed,
    Role,
    Sector,
    SiteKind,
    TrialRequest,
    TrialRequestStatus,
    TrialSite,
    Urgency,
    User,
    WorkingGroup,
    db,
    utcnow,
)

log = logging.getLogger(__name__)

BATCH = 5000
SHARES = {"organisations": 0.03, "users": 0.15, "sites": 0.05, "trial_requests": 0.20, "audit": 3.5}
GROUPS_PER_100K, MEETINGS_PER_100K = 30, 2000
LAWS = ["航空法", "道路交通法", "電波法", "高圧ガス保安法", "農地法", "建築基準法", "薬機法", "医師法",
        "港湾法", "河川法", "森林法", "漁業法", "Civil Aeronautics Act", "Road Traffic Act", "Radio Act"]
NEED_STATUSES = [s for s in NeedStatus if s != NeedStatus.DRAFT]
SCALE_PASSWORD = "seed-scale-password"  # every synthetic account; they are for load tests, never for production  # noqa: S105  # nosec B105


@dataclass
class Seeded:
    organisations: int = 0
    users: int = 0
    needs: int = 0
    sites: int = 0
    trial_requests: int = 0
    groups: int = 0
    memberships: int = 0
    meetings: int = 0
    audit: int = 0


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _bulk(model, rows: list[dict]) -> int:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])
    return len(rows)


def _fix_sequences(models) -> None:
    """PostgreSQL: move each id sequence past the explicit ids, so ordinary inserts keep working."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        # the table names come from our own models, never from input
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def seed_scale(needs: int, *, seed: int = 13, password_hash: str) -> Seeded:
    rng = random.Random(seed)  # reproducible synthetic data, not secrets  # noqa: S311  # nosec B311
    now = utcnow()
    done = Seeded()
    counts = {kind: max(1, round(needs * share)) for kind, share in SHARES.items()}
    n_groups = max(3, round(needs * GROUPS_PER_100K / 100_000))
    n_meetings = max(5, round(needs * MEETINGS_PER_100K / 100_000))

    org0 = _next_id(Organisation)
    organisations = []
    for i in range(counts["organisations"]):
        body, tags = synthetic.text(rng)
        place = rng.choice(synthetic.PLACES)
        english = rng.random() < 0.3
        organisations.append(dict(
            id=org0 + i, name_ja=f"{synthetic._name(rng)} {org0 + i}", name_en=synthetic._name(rng) if english else "",
            sector=rng.choice(list(Sector)), status=OrganisationStatus.ACTIVE if rng.random() < 0.8 else OrganisationStatus.APPLICANT,
            municipality=place[0], latitude=place[1], longitude=place[2], description=body, capabilities=body[:120],
            capability_tags={"technologies": tags[:1], "fields": tags[1:]}, created_at=now))
    done.organisations = _bulk(Organisation, organisations)
    org_ids = [o["id"] for o in organisations]
    active_orgs = [o["id"] for o in organisations if o["status"] == OrganisationStatus.ACTIVE] or org_ids

    user0 = _next_id(User)
    users, org_of = [], {}
    for i in range(counts["users"]):
        uid = user0 + i
        staff = i < max(2, counts["users"] // 500)
        org = None if staff else org_ids[i % len(org_ids)]
        role = Role.SECRETARIAT if staff else (Role.MEMBER if org in active_orgs else Role.APPLICANT)
        users.append(dict(id=uid, email=f"scale{uid}@bench.example", name=f"利用者 {uid}", password_hash=password_hash,
                          role=role, organisation_id=org, is_org_admin=i < len(org_ids) + 2, locale=rng.choice(["ja", "en"]),
                          created_at=now))
        org_of[uid] = org
    done.users = _bulk(User, users)
    staff_ids = [u["id"] for u in users if u["role"] == Role.SECRETARIAT]
    submitters = [u["id"] for u in users if u["organisation_id"] is not None]

    group0 = _next_id(WorkingGroup)
    groups = [dict(id=group0 + i, name_ja=f"{synthetic.TOPICS_JA[i % len(synthetic.TOPICS_JA)]}部会 {group0 + i}",
                   name_en=f"{synthetic.TOPICS_EN[i % len(synthetic.TOPICS_EN)]} group", axis=list(GroupAxis)[i % len(GroupAxis)],
                   summary_ja=synthetic.text(rng, english=False)[0], theme_tags=synthetic.TOPICS_JA[i % len(synthetic.TOPICS_JA)],
                   created_at=now) for i in range(n_groups)]
    done.groups = _bulk(WorkingGroup, groups)
    group_ids = [g["id"] for g in groups]
    memberships = []
    for uid in rng.sample(submitters, min(len(submitters), 40 * n_groups)):
        memberships.append(dict(group_id=rng.choice(group_ids), user_id=uid, role=GroupRole.MEMBER,
                                status=MembershipStatus.ACTIVE if rng.random() < 0.9 else MembershipStatus.PENDING,
                                requested_by_id=uid, created_at=now))
    done.memberships = _bulk(GroupMembership, memberships)
    meetings = []
    for i in range(n_meetings):
        starts = now - timedelta(days=rng.randrange(-60, 700), hours=rng.randrange(0, 8))
        meetings.append(dict(group_id=rng.choice(group_ids), title=f"第{i + 1}回 会合", starts_at=starts,
                             ends_at=starts + timedelta(hours=2), place=rng.choice(synthetic.PLACES)[0],
                             agenda=synthetic.text(rng)[0], created_at=now))
    done.meetings = _bulk(Meeting, meetings)

    need0 = _next_id(RegulatoryNeed)
    rows = []
    for i in range(needs):
        english = rng.random() < 0.3
        body, tags = synthetic.text(rng, english=english)
        submitter = rng.choice(submitters)
        created = now - timedelta(days=rng.randrange(0, 900), minutes=rng.randrange(0, 1440))
        roll = rng.random()
        confidentiality = (Confidentiality.CONFIDENTIAL if roll < 0.4 else Confidentiality.MEMBERS if roll < 0.7
                           else Confidentiality.PUBLIC)
        sentences = body.split("。") if not english else body.split(". ")
        rows.append(dict(
            id=need0 + i, title=(sentences[0][:60] or body[:60]), business=body, obstacle=sentences[-1][:300] or body[:200],
            relief=sentences[1][:300] if len(sentences) > 1 else body[:200], law_name=rng.choice(LAWS),
            law_article=f"第{rng.randint(1, 200)}条", tags=", ".join(tags), urgency=rng.choice(list(Urgency)),
            confidentiality=confidentiality, public_summary=body[:100] if confidentiality != Confidentiality.CONFIDENTIAL else "",
            status=rng.choice(NEED_STATUSES), organisation_id=org_of[submitter], submitter_id=submitter,
            assignee_id=rng.choice(staff_ids) if staff_ids and rng.random() < 0.5 else None,
            group_id=rng.choice(group_ids) if rng.random() < 0.1 else None,
            created_at=created, updated_at=created + timedelta(days=rng.randrange(0, 30)), submitted_at=created))
    done.needs = _bulk(RegulatoryNeed, rows)
    del rows

    site0 = _next_id(TrialSite)
    sites = []
    for i in range(counts["sites"]):
        body, tags = synthetic.text(rng)
        place = rng.choice(synthetic.PLACES)
        sites.append(dict(id=site0 + i, code=f"X{site0 + i:06d}", name_ja=f"{place[0]}{rng.choice(synthetic.SETTINGS_JA)} {site0 + i}",
                          municipality=place[0], latitude=place[1] + rng.uniform(-0.3, 0.3),
                          longitude=place[2] + rng.uniform(-0.4, 0.4), kind=rng.choice(list(SiteKind)), features_ja=body,
                          technologies=";".join(tags), owner_organisation_id=rng.choice(org_ids) if rng.random() < 0.5 else None))
    done.sites = _bulk(TrialSite, sites)

    requests = []
    for i in range(counts["trial_requests"]):
        body, tags = synthetic.text(rng)
        submitter = rng.choice(submitters)
        created = now - timedelta(days=rng.randrange(0, 900))
        place = rng.choice(synthetic.PLACES)
        requests.append(dict(organisation_id=org_of[submitter], submitted_by_id=submitter, title=body[:50],
                             verify=body, technology=" ".join(tags), municipality=place[0], latitude=place[1],
                             longitude=place[2], radius_km=rng.choice([30.0, 60.0, 120.0]), confidential=rng.random() < 0.5,
                             status=rng.choice(list(TrialRequestStatus)), support=[],
                             group_id=rng.choice(group_ids) if rng.random() < 0.1 else None,
                             created_at=created, updated_at=created))
    done.trial_requests = _bulk(TrialRequest, requests)

    actions = ["need.submitted", "need.status", "need.viewed", "login", "trial_request.submitted", "organisation.updated"]
    audit = [dict(actor_id=rng.choice(submitters), action=rng.choice(actions), object_type="RegulatoryNeed",
                  object_id=need0 + rng.randrange(needs), details={}, address="127.0.0.1",
                  created_at=now - timedelta(minutes=rng.randrange(0, 1_300_000))) for _ in range(counts["audit"])]
    done.audit = _bulk(AuditEntry, audit)
    _fix_sequences([Organisation, User, WorkingGroup, GroupMembership, Meeting, RegulatoryNeed, TrialSite, TrialRequest,
                    AuditEntry])
    db.session.flush()
    return done
