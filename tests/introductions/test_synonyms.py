"""The secretariat extends the matcher's synonyms; every search uses them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.core import synonyms
from matching import Candidate, Index, Query
from models import AuditEntry, Role, db


@pytest.fixture(autouse=True)
def _no_file_left(app):
    yield
    synonyms.synonyms_path().unlink(missing_ok=True)


def test_secretariat_saves_groups_and_sees_them_again(client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form("/introductions/synonyms", {"text": "除雪 = snow clearing = 排雪\n# comment\nゆきみち, snow road"})
    assert response.status_code == 302
    assert synonyms.synonyms_path().read_text(encoding="utf-8") == "除雪\tsnow clearing\t排雪\nゆきみち\tsnow road\n"
    assert "除雪 = snow clearing = 排雪" in client.get("/introductions/synonyms").get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "synonyms.saved")).details == {"groups": 2}


def test_bad_lines_are_reported_and_nothing_is_saved(client, login_as, secretariat, post_form):
    login_as(secretariat)
    response = post_form("/introductions/synonyms", {"text": "除雪 = snow clearing\nひとつだけ"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2行目" in html and "ひとつだけ" in html  # the typed text is kept
    assert not synonyms.synonyms_path().exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_only_the_secretariat_edits_synonyms(client, login_as, role, post_form):
    login_as(role)
    assert client.get("/introductions/synonyms").status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get("/introductions/synonyms").status_code == 302


def test_a_saved_group_makes_a_word_match_its_synonym(app, secretariat):
    catalogue = [Candidate(id="s1", kind="site", name="雪道試験場", text="ゆきみち走行の試験ができる冬季の試験コース"),
                 Candidate(id="s2", kind="site", name="港湾ヤード", text="コンテナヤードでの自動搬送の試験")]
    query = Query(text="snow road driving tests")

    def rank_of_s1() -> float:
        results = Index.build(catalogue, analyzer=synonyms.matching_analyzer()).rank(query, limit=2)
        return next((r.score for r in results if r.id == "s1"), 0.0)

    before = rank_of_s1()
    with app.test_request_context():
        synonyms.save_synonyms(secretariat, "ゆきみち = snow road")
    after = rank_of_s1()
    assert after > before
