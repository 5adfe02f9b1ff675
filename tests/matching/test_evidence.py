"""Reasons shown to people: matched terms are words of the texts, bridges are pairs."""
from __future__ import annotations

import re

from matching import Candidate, Index, Query
from matching.evidence import GLOSS_META
from matching.normalize import nfkc_lower

ROBOT_SITE = Candidate("s-robot", "農業用ロボットとドローンの実証実験ができる圃場。無人トラクターの自動走行や"
                                  "目視外飛行の試験も可能。大学や研究機関と連携。", kind="site",
                       name="岩見沢スマート農業実証圃場", tags=["農業", "ロボット"])
DRONE_SITE = Candidate("s-drone", "山間部でドローンの目視外飛行を試験できる飛行場。", kind="site",
                       name="森の飛行試験場", tags=["ドローン"])
HYDROGEN_SITE = Candidate("s-h2", "水素ステーションと燃料電池トラックの試験ができる港湾地区。", kind="site",
                          name="港の水素拠点", tags=["水素"])
NOISE = {"figurehead", "pawn", "puppet", "intransitiv", "intransitive", "verb", "colleg", "organ", "dron",
         "unman", "rout", "agricultur", "substantiation"}


def _index() -> Index:
    return Index.build([ROBOT_SITE, DRONE_SITE, HYDROGEN_SITE])


def _words(reasons: dict) -> list[str]:
    return [w for t in reasons.matched_terms for w in t.split("/")]


def test_japanese_matched_terms_are_words_of_the_texts() -> None:
    query = "農業用ロボットによる自動収穫と、ドローンの目視外飛行による圃場の見回りを実証したい。大学と連携。"
    result = _index().explain(Query(text=query), "s-robot")
    terms = result.reasons.matched_terms
    assert terms and len(terms) <= 8
    both = nfkc_lower(query) + " " + nfkc_lower(ROBOT_SITE.full_text())
    for t in terms:
        assert nfkc_lower(t) in both, t
        assert not t.isascii(), t  # two Japanese texts: no English gloss words
    assert not NOISE & {t.lower() for t in terms}
    assert {"ロボット", "ドローン"} <= set(terms)
    assert result.reasons.bridges == []


def test_uav_request_reports_the_bridge_to_drone() -> None:
    result = _index().rank(Query(text="We want to test UAV flights beyond visual line of sight."), limit=3)
    drone = next(r for r in result if r.id == "s-drone")
    assert "UAV ↔ ドローン" in drone.reasons.bridges
    assert "UAV/ドローン" in drone.reasons.matched_terms
    assert not NOISE & {w.lower() for w in _words(drone.reasons)}


def test_hydrogen_bridge_and_contributions_add_up() -> None:
    result = _index().rank(Query(text="hydrogen fuel cell trucks"), limit=1)[0]
    assert result.id == "s-h2"
    assert "hydrogen ↔ 水素" in result.reasons.bridges
    assert "hydrogen/水素" in result.reasons.matched_terms
    assert abs(sum(result.reasons.contributions.values()) - result.score) < 0.05


def test_english_terms_are_shown_as_written_never_as_stems() -> None:
    org = Candidate("o-routes", "We plan delivery routes for agricultural drones and unmanned tractors.",
                    kind="organisation", name="Route Lab")
    ix = Index.build([org, DRONE_SITE])
    result = ix.explain(Query(text="Agricultural delivery routes planning"), "o-routes")
    words = _words(result.reasons)
    text = nfkc_lower(org.full_text() + " agricultural delivery routes planning")
    for w in words:
        assert re.search(rf"(?<![a-z]){re.escape(w.lower())}(?![a-z])", text), w
    assert "routes" in [w.lower() for w in words]
    assert not {"rout", "agricultur", "dron", "unman"} & {w.lower() for w in words}


def test_gloss_metadata_is_never_shown() -> None:
    assert {"verb", "intransitive", "noun", "suffix", "prefix", "counter", "abbreviation"} <= GLOSS_META


def test_need_shared_terms_are_words(need_index) -> None:
    p = need_index.pair("n1", "n3")
    for t in p.reasons.shared_terms:
        assert not NOISE & set(t.lower().split("/")), t
    assert "目視外飛行" in p.reasons.shared_terms
    cross = need_index.pair("n4", "n5")
    assert any("水素" in b for b in cross.reasons.bridges)
