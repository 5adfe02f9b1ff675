"""Fill a database with synthetic needs, sites and organisations (their analyses stored as the app
stores them) and time the pages built on the stored matching state.

    DATABASE_URL=sqlite:////tmp/scale.sqlite3 python -m bench.matching_state fill --needs 100000
    DATABASE_URL=... python -m bench.matching_state measure [--runs 30]

`fill` uses the app's models (so the ORM hook analyses every row) in batches of 1,000; `measure`
times /needs/similar.json (member and secretariat), the curation page of one need and the matcher
for one trial request with the test client (warm: median and p95; cold: the first request of a
fresh process, analyser already loaded as after gunicorn's preload), and counts SQL statements.
`lists` owns `flask seed-scale` and `make bench-app`; this is the matcher part only.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time

from sqlalchemy import event, func, select

from app import create_app
from app.core.analyses import analyzer
from bench import synthetic
from models import (Confidentiality, NeedStatus, Organisation, OrganisationStatus, RegulatoryNeed, Role, TrialRequest,
                    TrialRequestStatus, TrialSite, User, db)

OPEN = [NeedStatus.RECEIVED, NeedStatus.REGULATION_IDENTIFIED, NeedStatus.EVIDENCE, NeedStatus.LEGAL_CHECK]
LAWS = ["航空法", "道路交通法", "高圧ガス保安法", "電波法", "農地法", "建築基準法", "消防法", ""]


def fill(needs: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    app = create_app()
    with app.app_context():
        db.create_all()
        analyzer().analyze("warm")
        t0 = time.perf_counter()
        orgs = []
        for i in range(max(needs * 3 // 100, 10)):
            body, tags = synthetic.text(rng)
            place, lat, lon = rng.choice(synthetic.PLACES)
            orgs.append(Organisation(name_ja=f"団体{i}", status=OrganisationStatus.ACTIVE, description=body,
                                     capabilities=";".join(tags), municipality=place, latitude=lat, longitude=lon))
        db.session.add_all(orgs)
        db.session.flush()
        users = [User(email=f"u{o.id}@bench.example", name=f"利用者{o.id}", password_hash="x", role=Role.MEMBER,
                      organisation_id=o.id) for o in orgs]
        users.append(User(email="staff@bench.example", name="事務局", password_hash="x", role=Role.SECRETARIAT))
        db.session.add_all(users)
        db.session.commit()
        print(f"{len(orgs)} organisations in {time.perf_counter() - t0:.0f} s", flush=True)
        members = [u for u in users if u.organisation_id]
        for i in range(max(needs // 20, 10)):
            body, tags = synthetic.text(rng)
            place, lat, lon = rng.choice(synthetic.PLACES)
            db.session.add(TrialSite(name_ja=f"フィールド{i}", municipality=place, latitude=lat + rng.uniform(-.3, .3),
                                     longitude=lon + rng.uniform(-.4, .4), features_ja=body,
                                     technologies=";".join(tags)))
            if i % 1000 == 999:
                db.session.commit()
        for i in range(200):
            body, tags = synthetic.text(rng)
            u = rng.choice(members)
            db.session.add(TrialRequest(organisation_id=u.organisation_id, submitted_by_id=u.id, title=body[:40],
                                        verify=body, status=TrialRequestStatus.MATCHING, confidential=False))
        db.session.commit()
        print(f"sites and requests in {time.perf_counter() - t0:.0f} s", flush=True)
        levels = [Confidentiality.CONFIDENTIAL] * 4 + [Confidentiality.MEMBERS] * 3 + [Confidentiality.PUBLIC] * 3
        for i in range(needs):
            body, tags = synthetic.text(rng)
            u = rng.choice(members)
            half = len(body) // 2
            db.session.add(RegulatoryNeed(
                title=body[:60], business=body[:half], obstacle=body[half:], relief="", tags=", ".join(tags),
                law_name=rng.choice(LAWS), public_summary=body[:80], status=rng.choice(OPEN),
                confidentiality=rng.choice(levels), organisation_id=u.organisation_id, submitter_id=u.id))
            if i % 1000 == 999:
                db.session.commit()
                print(f"{i + 1} needs in {time.perf_counter() - t0:.0f} s", flush=True)
        db.session.commit()


def measure(runs: int) -> None:
    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        analyzer().analyze("warm")  # as after gunicorn's preload
        staff = db.session.scalar(select(User).where(User.role == Role.SECRETARIAT))
        member = db.session.scalar(select(User).where(User.role == Role.MEMBER).order_by(User.id))
        need = db.session.scalar(select(RegulatoryNeed).order_by(RegulatoryNeed.id).offset(500))
        request_id = db.session.scalar(select(TrialRequest.id).order_by(TrialRequest.id))
        total = db.session.scalar(select(func.count(RegulatoryNeed.id)))
        staff_id, member_id, need_id = (f"{staff.id}:{staff.session_generation}",
                                        f"{member.id}:{member.session_generation}", need.id)
        db.session.remove()
    rng = random.Random(3)
    drafts = [synthetic.text(rng)[0][:rng.randint(20, 120)] for _ in range(runs)]
    pages = [("similar needs, member", member_id, lambda i: f"/needs/similar.json?title={drafts[i % runs]}&law=航空法"),
             ("similar needs, secretariat", staff_id, lambda i: f"/needs/similar.json?title={drafts[i % runs]}"),
             ("need curation page", staff_id, lambda i: f"/needs/manage/{need_id}"),
             ("matcher, one trial request", staff_id, lambda i: f"/introductions/match/request/{request_id}")]
    print(f"{total} needs, {os.environ.get('DATABASE_URL', 'sqlite').partition(':')[0]}")
    print("| page | first request (ms) | median (ms) | p95 (ms) | CPU median (ms) | CPU p95 (ms) | SQL statements |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, user_id, url in pages:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        with app.app_context():
            counter = iter(range(10 ** 6))
            t = time.perf_counter()
            first = client.get(url(0))
            cold = 1000 * (time.perf_counter() - t)
            assert first.status_code == 200, (name, first.status_code, first.get_data(as_text=True)[:300])
            samples, cpu, statements = [], [], []
            listener = lambda *a: statements.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            for i in range(runs):
                statements.clear()
                t, c = time.perf_counter(), time.process_time()
                assert client.get(url(next(counter) + 1)).status_code == 200
                samples.append(1000 * (time.perf_counter() - t))
                cpu.append(1000 * (time.process_time() - c))
            event.remove(db.engine, "before_cursor_execute", listener)
            samples.sort()
            cpu.sort()
            print(f"| {name} | {cold:.0f} | {statistics.median(samples):.0f} | "
                  f"{samples[int(0.95 * (len(samples) - 1))]:.0f} | {statistics.median(cpu):.0f} | "
                  f"{cpu[int(0.95 * (len(cpu) - 1))]:.0f} | {len(statements)} |", flush=True)
    print(f"max RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["fill", "measure"])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if args.command == "fill":
        fill(args.needs)
    else:
        measure(args.runs)
    sys.exit(0)
