"""The applicant's dashboard lists its organisation's trial requests (drafts first) and needs, with their status."""
from __future__ import annotations

from sqlalchemy import event

from models import NeedStatus, RegulatoryNeed, Role, TrialRequestStatus, db

S = TrialRequestStatus


def test_the_dashboard_shows_our_requests_and_needs_with_their_status(client, login_as, applicant, make_request, make_user):
    make_request(applicant, title="除雪ロボットの実証", status=S.SCREENING)
    make_request(applicant, title="書きかけの相談", status=S.DRAFT)
    make_request(make_user(Role.APPLICANT), title="他社の相談", confidential=False)
    db.session.add(RegulatoryNeed(title="ドローンの目視外飛行", status=NeedStatus.RECEIVED, submitter=applicant,
                                  organisation_id=applicant.organisation_id, business="b", obstacle="o", relief="r"))
    db.session.commit()
    login_as(applicant)
    html = client.get("/dashboard").get_data(as_text=True)
    panel = html.split("自団体の実証実験の相談", 1)[1].split("</article>", 1)[0]
    assert panel.index("書きかけの相談") < panel.index("除雪ロボットの実証")  # drafts first
    assert "下書き" in panel and "審査中" in panel or "スクリーニング" in panel
    assert "他社の相談" not in html
    assert "ドローンの目視外飛行" in html and "受付" in html


def test_the_secretariat_has_no_applicant_panel(client, login_as, secretariat):
    login_as(secretariat)
    assert "自団体の実証実験の相談" not in client.get("/dashboard").get_data(as_text=True)


def _statements(client) -> int:
    engine = db.engine
    seen: list[str] = []

    def capture(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get("/dashboard").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return len(seen)


def test_the_dashboard_costs_the_same_with_many_requests(client, login_as, applicant, make_request):
    make_request(applicant, title="相談 0")
    login_as(applicant)
    _statements(client)  # the first page of a session loads what later pages find cached
    few = _statements(client)
    for number in range(1, 30):
        make_request(applicant, title=f"相談 {number}", status=S.DRAFT if number % 3 else S.SUBMITTED)
    _statements(client)  # the test's commits expired the logged-in user: reloaded once
    assert _statements(client) == few
