"""`flask seed-scale --needs N` adds data in proportion to N, usable by the pages, on both engines."""
from __future__ import annotations

from sqlalchemy import func, select

from models import (
    AuditEntry,
    Confidentiality,
    Organisation,
    RegulatoryNeed,
    Role,
    TrialRequest,
    TrialSite,
    User,
    WorkingGroup,
    db,
)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where))


def test_seed_scale_adds_every_kind_in_proportion(runner):
    result = runner.invoke(args=["seed-scale", "--needs", "400"])
    assert result.exit_code == 0, result.output
    assert _count(RegulatoryNeed) == 400
    assert _count(Organisation) == 12 and _count(User) == 60 and _count(TrialSite) == 20
    assert _count(TrialRequest) == 80 and _count(AuditEntry) == 1400 and _count(WorkingGroup) >= 3
    confidential = _count(RegulatoryNeed, RegulatoryNeed.confidentiality == Confidentiality.CONFIDENTIAL)
    assert 100 < confidential < 220  # about 40 %
    english = _count(RegulatoryNeed, RegulatoryNeed.business.like("% offers %"))
    assert 60 < english < 200  # about 30 %
    assert _count(User, User.role == Role.SECRETARIAT) >= 2


def test_seed_scale_adds_to_existing_data_and_ordinary_inserts_still_work(runner, make_user):
    make_user(Role.MEMBER)
    assert runner.invoke(args=["seed-scale", "--needs", "100"]).exit_code == 0
    assert runner.invoke(args=["seed-scale", "--needs", "100"]).exit_code == 0
    assert _count(RegulatoryNeed) == 200
    user = make_user(Role.MEMBER)  # the id sequence moved past the bulk-inserted ids (PostgreSQL)
    assert user.id > db.session.scalar(select(func.min(User.id)))


def test_seed_scale_refuses_nonsense(runner):
    assert runner.invoke(args=["seed-scale", "--needs", "0"]).exit_code != 0
    assert runner.invoke(args=["seed-scale", "--needs", "99999999999"]).exit_code != 0
