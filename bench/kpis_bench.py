"""KPI pages at scale: 200,000 needs and trial requests, 500,000 introductions and audit rows over ten
fiscal years; times the secretariat's dashboard, the exports' data and the public page.

    python -m bench.kpis_bench                    # SQLite in a temporary folder
    DATABASE_URL=postgresql+psycopg://... python -m bench.kpis_bench   # an empty PostgreSQL database

Target (issue 16): dashboard p95 under 150 ms on PostgreSQL, 300 ms on SQLite, on a 2-core machine.
Closed fiscal years are read from their stored figures (app/kpis/figure_services.py): the first read
that stores them is timed apart. The current year's figures are kept KPI_CURRENT_YEAR_SECONDS (as
deployed): its dashboard is timed with the kept figures, and computed live (what the first read after
they expire costs).
The rows are written with bulk INSERTs (Core executemany), not through the services.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app import create_app
from app.auth.passwords import hash_password
from app.core.config import Config, TestConfig
from app.core.fiscal import current_fiscal_year, fiscal_year_span
from models import (
    AuditEntry, GroupMembership, Introduction, IntroductionStatus, Meeting, MeetingAttendance, MembershipStatus,
    NeedEvent, NeedStatus, Organisation, OrganisationStatus, RegulatoryNeed, Role, Sector, TrialRequest,
    TrialRequestStatus, User, WorkingGroup, db,
)

PASSWORD = "bench-password-2026"
CHUNK = 20_000


def _moment(rng: random.Random, first_year: int, years: int) -> datetime:
    start = fiscal_year_span(first_year)[0]
    return start + timedelta(seconds=rng.randrange(int(timedelta(days=365 * years).total_seconds())))


def _bulk(model, rows) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            db.session.execute(insert(model), batch)
            batch = []
    if batch:
        db.session.execute(insert(model), batch)
    db.session.commit()


def generate(needs: int, trials: int, introductions: int, audits: int, years: int = 10, seed: int = 16) -> None:
    rng = random.Random(seed)
    first_year = current_fiscal_year() - years + 1
    orgs = [Organisation(name_ja=f"団体{i}", sector=rng.choice(list(Sector)), status=OrganisationStatus.ACTIVE,
                         joined_at=_moment(rng, first_year, years)) for i in range(2_000)]
    groups = [WorkingGroup(name_ja=f"部会{i}", name_en=f"Group {i}") for i in range(12)]
    db.session.add_all(orgs + groups)
    db.session.flush()
    staff = User(email="bench-secretariat@example.org", name="事務局", role=Role.SECRETARIAT,
                 password_hash=hash_password(PASSWORD))
    members = [User(email=f"m{i}@example.org", name=f"会員{i}", role=Role.MEMBER, organisation_id=orgs[i].id,
                    password_hash="x") for i in range(500)]
    db.session.add_all([staff, *members])
    db.session.flush()
    org_ids, group_ids, user_ids = [o.id for o in orgs], [g.id for g in groups], [u.id for u in members]
    db.session.add_all(GroupMembership(group_id=rng.choice(group_ids), organisation_id=o, status=MembershipStatus.ACTIVE)
                       for o in org_ids[:600])
    db.session.commit()
    statuses = [s for s in NeedStatus if s != NeedStatus.DRAFT]
    _bulk(RegulatoryNeed, ({"title": f"ニーズ{i}", "organisation_id": rng.choice(org_ids), "submitter_id": staff.id,
                            "status": rng.choice(statuses), "group_id": rng.choice(group_ids + [None]),
                            "submitted_at": _moment(rng, first_year, years)} for i in range(needs)))
    need_ids = list(db.session.scalars(select(RegulatoryNeed.id)))
    to = [NeedStatus.PROPOSED, NeedStatus.REALISED, NeedStatus.NATIONWIDE, NeedStatus.EXISTING_MEASURE, NeedStatus.EVIDENCE]
    _bulk(NeedEvent, ({"need_id": rng.choice(need_ids), "kind": "status", "to_status": rng.choice(to),
                       "created_at": _moment(rng, first_year, years)} for _ in range(needs)))
    _bulk(TrialRequest, ({"organisation_id": rng.choice(org_ids), "title": f"実証{i}", "group_id": rng.choice(group_ids + [None]),
                          "status": rng.choice(list(TrialRequestStatus)), "support": [],
                          "created_at": _moment(rng, first_year, years)} for i in range(trials)))
    trial_ids = list(db.session.scalars(select(TrialRequest.id)))
    _bulk(Introduction, ({"trial_request_id": rng.choice(trial_ids), "requester_organisation_id": rng.choice(org_ids),
                          "target_organisation_id": rng.choice(org_ids), "status": rng.choice(list(IntroductionStatus)),
                          "introduced_at": _moment(rng, first_year, years)} for _ in range(introductions)))
    actions = ["trial_request.status", "introduction.agreed", "need.status", "auth.login"]
    _bulk(AuditEntry, ({"action": rng.choice(actions), "object_type": "trial_requests", "object_id": rng.choice(trial_ids),
                        "details": {"new": rng.choice(["running", "agreed", "completed"])},
                        "created_at": _moment(rng, first_year, years)} for _ in range(audits)))
    meetings = [{"group_id": rng.choice(group_ids), "title": "会合", "starts_at": (m := _moment(rng, first_year, years)),
                 "ends_at": m + timedelta(hours=2)} for _ in range(3_000)]
    _bulk(Meeting, meetings)
    meeting_ids = list(db.session.scalars(select(Meeting.id)))
    _bulk(MeetingAttendance, ({"meeting_id": m, "user_id": u, "status": "attended"}
                              for m in meeting_ids for u in rng.sample(user_ids, 8)))


def _time(client, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--needs", type=int, default=200_000)
    parser.add_argument("--trials", type=int, default=200_000)
    parser.add_argument("--introductions", type=int, default=500_000)
    parser.add_argument("--audits", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kpi-bench-")
    config = TestConfig()
    config.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    config.WTF_CSRF_ENABLED = False
    config.KPI_CURRENT_YEAR_SECONDS = Config.KPI_CURRENT_YEAR_SECONDS  # as deployed (the test configuration keeps nothing)
    app = create_app(config, instance_path=folder)
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(args.needs, args.trials, args.introductions, args.audits)
        print(f"generated in {time.perf_counter() - started:.0f} s on {db.engine.dialect.name}")
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect() as connection:
                connection.exec_driver_sql("ANALYZE")
    client = app.test_client()
    client.post("/auth/login", data={"email": "bench-secretariat@example.org", "password": PASSWORD})
    year = current_fiscal_year() - 1
    public_keys = ["introductions_made", "needs_received"]
    with app.app_context():
        from app.kpis import services

        staff = db.session.scalar(select(User).where(User.role == Role.SECRETARIAT))
        services.publish_indicators(staff, public_keys)
        db.session.commit()
    # The first read of closed years computes and stores their figures (`flask kpis close-year` does
    # the same ahead of time): timed once, apart from the pages that read them afterwards.
    first = _time(client, f"/kpis/manage/?year={year}", 1)[0]
    print(f"{'dashboard, first read (stores FY' + str(year - 4) + '-' + str(year) + ')':44s} {first:7.1f} ms")
    kept = app.config["KPI_CURRENT_YEAR_SECONDS"]
    for name, path, runs, keep in (
            ("dashboard", f"/kpis/manage/?year={year}", args.runs, kept),
            ("dashboard, current year (kept figures)", f"/kpis/manage/?year={year + 1}", args.runs, kept),
            ("dashboard, current year (computed live)", f"/kpis/manage/?year={year + 1}", args.runs, 0),
            ("public page", f"/kpis/?year={year}", args.runs, kept),
            ("indicator CSV", f"/kpis/manage/report/{year}.csv", max(5, args.runs // 4), kept)):
        app.config["KPI_CURRENT_YEAR_SECONDS"] = keep  # 0: every read computes the current year, as the first after expiry does
        _time(client, path, 2)  # warm-up
        times = sorted(_time(client, path, runs))
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        print(f"{name:40s} n={runs:3d}  p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  max {times[-1]:7.1f} ms")


if __name__ == "__main__":
    main()
