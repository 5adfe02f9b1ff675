"""Exclusions and negation: a term the candidate's text excludes counts against it, in both languages."""
from __future__ import annotations

import pytest

from matching import Analysis, Candidate, Index, Query, default_analyzer

SITES = [
    Candidate("s-no-drone", "A patrol route along a power line through snowy mountain forest. The route lies in a "
              "national park: drone flights of any kind are not permitted.", kind="site", name="Patrol route"),
    Candidate("s-drone", "A patrol route along a power line through snowy mountain forest, open to drone flights "
              "beyond visual line of sight.", kind="site", name="Drone route"),
    Candidate("s-no-h2", "苫小牧の物流実証ヤード。EVトラック向けの充電器がある。構内では水素を扱わない方針。", kind="site",
              name="EVヤード"),
    Candidate("s-h2", "苫小牧の物流実証ヤード。水素ステーションと燃料電池トラックの走行試験ができる。", kind="site",
              name="水素ヤード"),
    Candidate("o-no-drone", "山間部の送電線を冬も巡視する保守会社。ドローンは使っておらず、操縦者もいない。",
              kind="organisation", name="巡視会社"),
]


@pytest.mark.parametrize("text, excluded, kept", [
    ("The route lies in a park: drone flights of any kind are not permitted.", {"ドローン", "flight"}, set()),
    ("We do not fly BVLOS or over water, and we inspect bridges.", {"water"}, {"bridg"}),
    ("港湾保安区域のため、ﾄﾞﾛｰﾝの飛行は不可。岸壁の手配はできる。", {"ドローン", "飛行"}, {"岸壁"}),
    ("構内では水素を扱わない方針。", {"水素"}, set()),
    ("ドローンは使っておらず、送電線を点検する。", {"ドローン"}, {"送電線"}),
])
def test_negated_terms_are_read_in_both_languages(text: str, excluded: set[str], kept: set[str]) -> None:
    got = default_analyzer().analyze(text).excluded
    assert excluded <= got
    assert not kept & got


def test_a_term_also_named_positively_is_not_excluded() -> None:
    got = default_analyzer().analyze("We fly drones over farms. No drone flights over towns.").excluded
    assert "ドローン" not in got


def test_plain_texts_exclude_nothing() -> None:
    assert default_analyzer().analyze("ドローンの目視外飛行に協力します。少ない人数でも対応。").excluded == frozenset()


def test_excluded_terms_survive_json() -> None:
    a = default_analyzer().analyze("構内では水素を扱わない方針。")
    assert a.excluded and Analysis.from_json(a.to_json()).excluded == a.excluded


@pytest.mark.parametrize("query, good, bad, word", [
    ("BVLOS drone flights along a snowy power line", "s-drone", "s-no-drone", "drone"),
    ("水素燃料電池トラックの試験走行", "s-h2", "s-no-h2", "水素"),
    ("hydrogen fuel cell truck trials in Tomakomai", "s-h2", "s-no-h2", "水素"),
])
def test_a_candidate_excluding_what_is_asked_ranks_below_with_the_reason(query: str, good: str, bad: str,
                                                                        word: str) -> None:
    index = Index.build(SITES)
    results = index.rank(Query(text=query), limit=5)
    order = [r.id for r in results]
    assert good in order and bad in order and order.index(good) < order.index(bad)
    reasons = results[order.index(bad)].reasons
    assert reasons.excludes and any(word.lower() in w.lower() for w in reasons.excludes)
    assert reasons.factor == pytest.approx(0.3)
    assert results[order.index(good)].reasons.excludes is None
    assert index.explain(Query(text=query), bad).score == results[order.index(bad)].score


def test_the_japanese_organisation_that_uses_no_drones_is_told_apart() -> None:
    r = Index.build(SITES).explain(Query(text="ドローンで送電線を巡視したい"), "o-no-drone")
    assert r is not None and r.reasons.excludes == ["ドローン"]
    assert "excludes" in r.reasons.to_dict()
