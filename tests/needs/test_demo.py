"""The demo loads the seed needs at various states, the reference data and one package."""
from __future__ import annotations

from sqlalchemy import select

from app.demo import load_demo
from models import Law, NeedStatus, ProposalPackage, RegulatoryNeed, SpecialMeasure, db


def test_demo_loads_needs_at_various_states_and_one_package():
    load_demo()
    db.session.commit()
    needs = list(db.session.scalars(select(RegulatoryNeed)))
    assert len({n.status for n in needs}) >= 7
    assert NeedStatus.DRAFT in {n.status for n in needs}
    titles = " ".join(n.title for n in needs)
    for topic in ("高圧ガス", "火薬類", "ドローン", "在留資格", "水素", "外国籍船", "英語"):
        assert topic in titles
    package = db.session.scalars(select(ProposalPackage)).one()
    assert len(package.needs) == 2
    assert db.session.scalar(select(db.func.count(Law.id))) == 106
    assert db.session.scalar(select(db.func.count(SpecialMeasure.id))) == 72


def test_demo_timelines_follow_the_transition_table():
    load_demo()
    for need in db.session.scalars(select(RegulatoryNeed)):
        for event in need.events:
            if event.from_status is not None:
                need.status = event.from_status
                assert need.can_move_to(event.to_status), (need.title, event.from_status, event.to_status)
