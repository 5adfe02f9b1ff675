"""Weak matches (little text relevance, listed on distance, period or support alone) are folded
below the real ones, with a count and the reason, in both languages."""
from __future__ import annotations

import pytest

from app.introductions.matcher_services import shown_rows
from models import MatchRun, Role, db


@pytest.fixture
def relevant_partner(make_organisation):
    return make_organisation("雪氷ロボティクス", capabilities="除雪ロボット;自律走行;LiDAR", description="除雪ロボットの開発",
                             municipality="札幌市", latitude=43.06, longitude=141.35)


@pytest.fixture
def unrelated_partner(make_organisation):
    return make_organisation("石狩データセンター", capabilities="サーバー;ハウジング", description="データセンターの運営",
                             municipality="石狩市", latitude=43.17, longitude=141.32)


def _weak_and_good(run):
    return ([s.organisation.name_ja for s in run.suggestions if s.reasons.get("weak") and s.organisation],
            [s.organisation.name_ja for s in run.suggestions if not s.reasons.get("weak") and s.organisation])


@pytest.mark.parametrize("lang, summary, reason", [
    ("ja", "弱い候補 1件", "弱い候補：内容の関連が小さく"),
    ("en", "1 weak match (little text relevance)", "Weak match: little text relevance"),
])
def test_weak_partners_are_folded_after_the_real_matches(client, login_as, secretariat, startup_request, relevant_partner,
                                                         unrelated_partner, lang, summary, reason):
    secretariat.locale = lang
    db.session.commit()
    client.set_cookie("lang", lang)
    login_as(secretariat)
    html = client.get(f"/introductions/match/request/{startup_request.id}?kind=organisation&radius_km=100"
                      ).get_data(as_text=True)
    run = db.session.scalars(db.select(MatchRun)).one()
    weak, good = _weak_and_good(run)
    assert weak == ["石狩データセンター"] and good == ["雪氷ロボティクス"]
    folded = html[html.index('data-testid="weak-matches"'):]
    assert "<details" in html[:html.index('data-testid="weak-matches"')][-40:] and " open" not in folded[:20]
    assert summary in folded and reason in folded and "石狩データセンター" in folded
    assert "雪氷ロボティクス" not in folded and html.index("雪氷ロボティクス") < html.index('data-testid="weak-matches"')


def test_shown_rows_keeps_rank_order_within_each_group():
    class S:  # a stored suggestion's shape: reasons only
        def __init__(self, name, weak):
            self.name, self.reasons = name, {"components": {"text": 0.5}, **({"weak": "little"} if weak else {})}

    good, weak = shown_rows([S("a", False), S("b", True), S("c", False), S("d", True)])
    assert [s.name for s, _ in good] == ["a", "c"] and [s.name for s, _ in weak] == ["b", "d"]
    assert good[0][1] == [("text", 50.0, 0.0)]


def test_an_applicant_cannot_open_the_matcher_with_weak_matches(client, login_as, applicant, startup_request,
                                                                unrelated_partner):
    login_as(applicant)
    assert client.get(f"/introductions/match/request/{startup_request.id}").status_code == 403
    assert db.session.scalars(db.select(MatchRun)).first() is None
