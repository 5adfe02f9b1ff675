"""Near-duplicate needs: one-vs-all, all pairs, thresholds, union-find groups."""
from __future__ import annotations

import pytest

from matching import Candidate
from matching.needs import NeedIndex, Pair, group_pairs, similar_items


def pair_ids(pairs) -> set[tuple[str, str]]:
    return {(p.a, p.b) for p in pairs}


def test_duplicates_across_languages_are_found(need_index: NeedIndex) -> None:
    pairs = pair_ids(need_index.all_pairs(threshold=30))
    assert ("n1", "n3") in pairs and ("n4", "n5") in pairs
    assert ("n1", "n7") not in pairs


def test_pairs_carry_evidence(need_index: NeedIndex) -> None:
    p = need_index.pair("n4", "n5")
    assert p.reasons.laws == ["高圧ガス保安法"]
    assert "水素/hydrogen" in p.reasons.shared_terms  # a cross-language pair, as written
    assert sum(p.reasons.contributions.values()) == pytest.approx(p.score, abs=0.05)


@pytest.mark.parametrize(("low", "high"), [(0, 20), (20, 40), (40, 60), (10, 90)])
def test_a_higher_threshold_never_adds_pairs(need_index: NeedIndex, low: float, high: float) -> None:
    assert pair_ids(need_index.all_pairs(high)) <= pair_ids(need_index.all_pairs(low))


def test_all_pairs_agree_with_pairwise_scores(need_index: NeedIndex) -> None:
    for p in need_index.all_pairs(threshold=0):
        assert need_index.pair(p.a, p.b).score == pytest.approx(p.score, abs=0.01)


def test_similar_while_typing(need_index: NeedIndex) -> None:
    results = need_index.similar_to("ドローンを目視外で飛ばす許可を、エリアでまとめて出してほしい", tags=["航空法"], limit=3)
    assert {r.id for r in results[:3]} == {"n1", "n2", "n3"}  # n2 is the English version
    assert results[0].score >= results[1].score


def test_similar_to_can_exclude_the_need_itself(need_index: NeedIndex) -> None:
    text = "水素ステーションの圧縮水素の貯蔵量の上限を緩和してほしい。"
    assert need_index.similar_to(text)[0].id == "n4"  # the need itself is the best match ...
    ids = [r.id for r in need_index.similar_to(text, exclude="n4")]
    assert ids and "n4" not in ids and ids[0] == "n5"  # ... and left out, its translation first


def test_similar_items_is_all_pairs_over_items(needs: list[dict]) -> None:
    items = [Candidate.from_dict(n) for n in needs]
    expected = pair_ids(NeedIndex.build(items).all_pairs(30))
    assert expected and pair_ids(similar_items(items, threshold=30)) == expected


def test_group_pairs_joins_chains_and_keeps_evidence() -> None:
    pairs = [Pair("a", "b", 80), Pair("b", "c", 70), Pair("x", "y", 90)]
    groups = group_pairs(pairs)
    assert [g["members"] for g in groups] == [["a", "b", "c"], ["x", "y"]]
    assert groups[0]["representative"] == "b"
    assert len(groups[0]["pairs"]) == 2


def test_group_pairs_accepts_plain_tuples() -> None:
    assert group_pairs([("n2", "n1")])[0]["members"] == ["n1", "n2"]


# Same law (計量法 / Measurement Act), one pair across languages; a same-law need with another
# obstacle and relief (a meter's verification period, not per-kWh billing).
_BILLING = [
    Candidate("b-ja", "EV急速充電器で使った電力量に応じて料金を取りたいが、取引に使う計量器は検定に合格した特定計量器でなければ"
              "ならない。直流の検定付きメーターは高価なので、充電器に内蔵された計測機能でのkWh課金を認めてほしい。",
              kind="need", tags=["計量法", "EV"]),
    Candidate("b-en", "Our fast chargers can only bill by the minute: selling power per kWh needs a verified measuring "
              "instrument under the Measurement Act, and certified DC meters are costly. Chargers whose built-in "
              "metering meets an accuracy class should be able to bill per kWh.", kind="need",
              tags=["Measurement Act", "charging"]),
    Candidate("b-other", "水道メーターは計量法で8年ごとに検定済みの品に交換しなければならない。スマートメーターの通信部分だけを"
              "交換できるよう、検定の有効期間を延ばしてほしい。", kind="need", tags=["計量法", "水道"]),
]


def test_a_pair_across_languages_meets_through_the_lexicon_and_beats_the_same_law() -> None:
    index = NeedIndex.build(_BILLING)
    cross, same_law = index.pair("b-en", "b-ja"), index.pair("b-ja", "b-other")
    assert cross.score > same_law.score
    i, j = index.index.position["b-en"], index.index.position["b-ja"]
    # The English cosine (words and glosses) is what carries the pair: above the plain cosine.
    assert index.english_cosine(i, j) > float(index.index.x[i].multiply(index.index.x[j]).sum())
    assert cross.reasons.components["text"] == pytest.approx(index.english_cosine(i, j), abs=1e-4)
    assert [(p.a, p.b) for p in index.all_pairs(threshold=0)][0] == ("b-en", "b-ja")
    typed = index.similar_to(_BILLING[1].text, exclude="b-en", limit=2)
    assert typed[0].id == "b-ja"


@pytest.mark.parametrize("text, relief, obstacle", [
    ("水道メーターは8年ごとに交換しなければならない。検定の有効期間を延ばしてほしい。", {"period", "valid"}, {"meter"}),
    ("Meters must be replaced every eight years. Please extend the period of validity.", {"period", "validity"},
     {"meter"}),
])
def test_the_relief_asked_and_the_obstacle_are_read_in_both_languages(text: str, relief: set[str],
                                                                     obstacle: set[str]) -> None:
    from matching import default_analyzer

    asks = default_analyzer().analyze(text).asks
    assert asks is not None
    assert relief & set(asks[0]) and obstacle & set(asks[1]) and not obstacle & set(asks[0])
    assert default_analyzer().analyze("A test field for drones by the sea.").asks is None


def test_the_same_relief_counts_for_a_pair_and_another_relief_against() -> None:
    same_ask = [
        Candidate("a", "水素ステーションの圧縮水素の貯蔵量に上限があり、トラックに連続で充填できない。"
                  "安全対策を条件に貯蔵量の上限を引き上げてほしい。", kind="need", tags=["高圧ガス保安法"]),
        Candidate("b", "Our station cannot hold enough compressed hydrogen for several trucks. Please raise the "
                  "storage cap where extra safety measures are in place.", kind="need", tags=["High Pressure Gas Safety Act"]),
        Candidate("c", "小さな水素ステーションでも保安の有資格者を常駐させる必要があり人件費が重い。"
                  "遠隔監視を条件に常駐を不要にしてほしい。", kind="need", tags=["高圧ガス保安法"]),
    ]
    index = NeedIndex.build(same_ask)
    ab, ac = index.pair("a", "b"), index.pair("a", "c")
    assert "relief" in ab.reasons.components and ab.reasons.components["relief"] > ac.reasons.components["relief"]
    assert ab.score > ac.score
    assert sum(ab.reasons.contributions.values()) == pytest.approx(ab.score, abs=0.05)
    assert [(p.a, p.b) for p in index.all_pairs(threshold=0)][0] == ("a", "b")
