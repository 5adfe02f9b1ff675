"""The pipeline: every allowed transition works, every other one is refused, each with a note."""
from __future__ import annotations

from itertools import product

import pytest

from app.needs import services
from app.permissions import Refused
from models import AuditEntry, BusinessStage, EventKind, NeedStatus, Role, db

S = NeedStatus
# Written out here independently of the model's table, so a change to either is caught.
ALLOWED = {
    (S.DRAFT, S.RECEIVED),
    (S.RECEIVED, S.REGULATION_IDENTIFIED), (S.RECEIVED, S.EXISTING_MEASURE), (S.RECEIVED, S.NOT_TAKEN_UP),
    (S.RECEIVED, S.WITHDRAWN),
    (S.REGULATION_IDENTIFIED, S.EVIDENCE), (S.REGULATION_IDENTIFIED, S.RECEIVED),
    (S.REGULATION_IDENTIFIED, S.EXISTING_MEASURE), (S.REGULATION_IDENTIFIED, S.WITHDRAWN),
    (S.EVIDENCE, S.LEGAL_CHECK), (S.EVIDENCE, S.REGULATION_IDENTIFIED), (S.EVIDENCE, S.EXISTING_MEASURE),
    (S.EVIDENCE, S.WITHDRAWN),
    (S.LEGAL_CHECK, S.RELIEF_DRAFTED), (S.LEGAL_CHECK, S.EVIDENCE), (S.LEGAL_CHECK, S.EXISTING_MEASURE),
    (S.LEGAL_CHECK, S.NOT_TAKEN_UP), (S.LEGAL_CHECK, S.WITHDRAWN),
    (S.RELIEF_DRAFTED, S.COORDINATION), (S.RELIEF_DRAFTED, S.LEGAL_CHECK), (S.RELIEF_DRAFTED, S.WITHDRAWN),
    (S.COORDINATION, S.PROPOSED), (S.COORDINATION, S.RELIEF_DRAFTED), (S.COORDINATION, S.EXISTING_MEASURE),
    (S.COORDINATION, S.NOT_TAKEN_UP), (S.COORDINATION, S.WITHDRAWN),
    (S.PROPOSED, S.REALISED), (S.PROPOSED, S.NATIONWIDE), (S.PROPOSED, S.NOT_TAKEN_UP), (S.PROPOSED, S.COORDINATION),
    (S.REALISED, S.NATIONWIDE),
}
PIPELINE_ALLOWED = sorted((a, b) for a, b in ALLOWED if a != S.DRAFT)
FORBIDDEN = sorted((a, b) for a, b in product(S, S) if (a, b) not in ALLOWED and a != S.DRAFT)


@pytest.mark.parametrize(("source", "target"), PIPELINE_ALLOWED, ids=lambda s: s.value)
def test_allowed_transition_moves_the_need_and_records_note_and_audit(make_need, applicant, secretariat, source, target):
    need = make_need(applicant, status=source)
    services.advance_need(secretariat, need, target, "理由を記録")
    db.session.commit()
    assert need.status == target
    event = need.events[-1]
    assert (event.kind, event.from_status, event.to_status, event.body) == (EventKind.STATUS, source, target, "理由を記録")
    audit = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "need.status")).one()
    assert audit.actor_id == secretariat.id and audit.details["to_status"] == target.value


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=lambda s: s.value)
def test_forbidden_transition_is_refused_and_changes_nothing(make_need, applicant, secretariat, source, target):
    need = make_need(applicant, status=source)
    with pytest.raises(services.NeedError):
        services.advance_need(secretariat, need, target, "理由")
    assert need.status == source
    assert need.events == []


@pytest.mark.parametrize("target", [t for t in S if t != S.RECEIVED], ids=lambda s: s.value)
def test_a_draft_can_only_be_submitted(make_need, applicant, secretariat, target):
    need = make_need(applicant, status=S.DRAFT)
    with pytest.raises(Refused):
        services.advance_need(secretariat, need, target, "理由")
    assert not need.can_move_to(target)


def test_submitting_a_draft_moves_it_to_received(make_need, applicant):
    need = make_need(applicant, status=S.DRAFT, stage=BusinessStage.TRIAL)
    services.save_need(applicant, need, {}, submit=True)
    assert need.status == S.RECEIVED and need.submitted_at is not None


def test_the_service_refuses_to_submit_an_incomplete_need(make_need, applicant):
    """The submission rule lives in the service (the form and the API only show its problems)."""
    need = make_need(applicant, status=S.DRAFT, stage=None, obstacle="")
    with pytest.raises(services.IncompleteNeed) as refused:
        services.save_need(applicant, need, {}, submit=True)
    assert set(refused.value.problems) == {"stage", "obstacle"}
    assert need.status == S.DRAFT


def test_a_transition_needs_a_note(make_need, applicant, secretariat):
    need = make_need(applicant)
    with pytest.raises(services.NeedError):
        services.advance_need(secretariat, need, S.REGULATION_IDENTIFIED, "  ")
    assert need.status == S.RECEIVED


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_only_the_secretariat_moves_needs(make_need, make_user, applicant, role):
    need = make_need(applicant)
    with pytest.raises(Refused):
        services.advance_need(make_user(role), need, S.REGULATION_IDENTIFIED, "note")


def test_transition_page_moves_the_need(make_need, applicant, secretariat, login_as, post_form):
    need = make_need(applicant)
    login_as(secretariat)
    response = post_form(f"/needs/manage/{need.id}/transition", {"target": "regulation_identified", "reason": "航空法と特定"},
                         form_page=f"/needs/manage/{need.id}")
    assert response.status_code == 302
    db.session.refresh(need)
    assert need.status == S.REGULATION_IDENTIFIED


def test_transition_page_refuses_a_forbidden_step(make_need, applicant, secretariat, login_as, post_form):
    need = make_need(applicant)
    login_as(secretariat)
    post_form(f"/needs/manage/{need.id}/transition", {"target": "realised", "reason": "x"}, form_page=f"/needs/manage/{need.id}")
    db.session.refresh(need)
    assert need.status == S.RECEIVED


def test_assigning_a_need_to_a_secretariat_member_is_audited_and_notified(make_need, make_user, applicant, secretariat):
    colleague = make_user(Role.SECRETARIAT)
    need = make_need(applicant)
    services.assign_need(secretariat, need, colleague)
    db.session.commit()
    assert need.assignee == colleague
    assert db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "need.assigned")).one()


def test_a_need_cannot_be_assigned_to_a_member(make_need, applicant, secretariat, member):
    need = make_need(applicant)
    with pytest.raises(Refused):
        services.assign_need(secretariat, need, member)
