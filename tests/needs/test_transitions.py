"""The pipeline: every allowed transition works, every other one is refused, each with a note."""
from __future__ import annotations

import re
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


def _options(html: str, select_id: str) -> list[tuple[str, bool]]:
    """(value, selected) of every option of the select with that id."""
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [(m.group(2), bool(m.group(1))) for m in re.finditer(r'<option( selected)? value="([^"]*)"', block)]


@pytest.mark.parametrize(("source", "forward", "back"), [
    (S.RECEIVED, S.REGULATION_IDENTIFIED, None),
    (S.REGULATION_IDENTIFIED, S.EVIDENCE, S.RECEIVED),
    (S.LEGAL_CHECK, S.RELIEF_DRAFTED, S.EVIDENCE),
    (S.PROPOSED, S.REALISED, S.COORDINATION),
], ids=lambda s: s.value if s else "none")
def test_the_page_preselects_the_next_step_and_lists_going_back_apart(make_need, applicant, secretariat, login_as,
                                                                       client, source, forward, back):
    need = make_need(applicant, status=source)
    login_as(secretariat)
    html = client.get(f"/needs/manage/{need.id}").get_data(as_text=True)
    forward_options = _options(html, "target")
    assert forward_options[0] == (forward.value, True)
    # every later stage or ending the table allows, in pipeline order; nothing earlier
    assert [value for value, _ in forward_options] == [
        t.value for t in S if (source, t) in ALLOWED and list(S).index(t) > list(S).index(source)]
    if back is None:
        assert 'id="back-target"' not in html
    else:
        assert [value for value, _ in _options(html, "back-target")] == [back.value]
        assert "data-confirm=" in html.split('id="back-target"')[0].rsplit("<form", 1)[1]


def test_going_back_only_through_the_back_form(make_need, applicant, secretariat, login_as, post_form):
    need = make_need(applicant, status=S.EVIDENCE)
    login_as(secretariat)
    page = f"/needs/manage/{need.id}"
    post_form(f"{page}/transition", {"target": "regulation_identified", "reason": "x"}, form_page=page)
    db.session.refresh(need)
    assert need.status == S.EVIDENCE  # the forward form does not take a step back
    post_form(f"{page}/transition?back=1", {"back-target": "legal_check", "back-reason": "x"}, form_page=page)
    db.session.refresh(need)
    assert need.status == S.EVIDENCE  # nor the back form a step forward
    post_form(f"{page}/transition?back=1", {"back-target": "regulation_identified", "back-reason": "規制の特定をやり直す"},
              form_page=page)
    db.session.refresh(need)
    assert need.status == S.REGULATION_IDENTIFIED


def test_every_field_the_submitter_reads_is_marked_where_the_secretariat_writes_it(make_need, applicant, secretariat,
                                                                                   login_as, client):
    need = make_need(applicant)
    login_as(secretariat)
    html = client.get(f"/needs/manage/{need.id}").get_data(as_text=True)
    stage_note = re.search(r'<label for="reason">(.*?)</label>', html, re.S).group(1)
    message_help = re.search(r'<p class="help" id="body-help">(.*?)</p>', html, re.S).group(1)
    route_reason = re.search(r'<label for="route_reason">(.*?)</label>', html, re.S).group(1)
    for text in (stage_note, message_help, route_reason):
        assert "提出者に表示" in text, text
