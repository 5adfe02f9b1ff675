"""The needs board: per column, the count of all its needs and the newest ten, with a link to the rest."""
from __future__ import annotations

import re

from models import NeedStatus


def test_a_column_counts_all_its_needs_shows_the_newest_ten_and_links_to_the_rest(client, login_as, secretariat,
                                                                                  applicant, make_need):
    for i in range(12):
        make_need(applicant, title=f"受付済みのニーズ{i:02d}", status=NeedStatus.RECEIVED)
    make_need(applicant, title="証拠収集中のニーズ", status=NeedStatus.EVIDENCE)
    make_need(applicant, title="下書きのニーズ", status=NeedStatus.DRAFT)
    login_as(secretariat)
    page = client.get("/needs/manage/board").get_data(as_text=True)
    received = page.split('data-status="received"')[1].split("</section>")[0]
    assert re.search(r'data-testid="count">12<', received)
    assert received.count('class="board-card"') == 10
    assert "受付済みのニーズ11" in received and "受付済みのニーズ00" not in received  # the newest first
    assert 'href="/needs/manage/?status=received" data-testid="more"' in received
    evidence = page.split('data-status="evidence"')[1].split("</section>")[0]
    assert re.search(r'data-testid="count">1<', evidence) and 'data-testid="more"' not in evidence
    assert "下書きのニーズ" not in page


def test_the_board_keeps_the_search_in_its_counts_and_links(client, login_as, secretariat, applicant, make_need):
    make_need(applicant, title="水素ステーションの規制", status=NeedStatus.RECEIVED)
    make_need(applicant, title="ドローンの規制", status=NeedStatus.RECEIVED)
    login_as(secretariat)
    page = client.get("/needs/manage/board?q=水素").get_data(as_text=True)
    received = page.split('data-status="received"')[1].split("</section>")[0]
    assert re.search(r'data-testid="count">1<', received)
    assert "水素ステーションの規制" in received and "ドローンの規制" not in received


def test_members_and_applicants_may_not_see_the_board(client, login_as, applicant, make_need):
    make_need(applicant, title="受付済みのニーズ", status=NeedStatus.RECEIVED)
    login_as(applicant)
    assert client.get("/needs/manage/board").status_code == 403
