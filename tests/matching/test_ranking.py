"""Ranking: filters and their reasons, explanations, determinism, and agreement with brute force."""
from __future__ import annotations

import random

import numpy as np
import pytest

from matching import Analyzer, Candidate, Index, Query, Weights
from matching.scoring import _WIDE_AREA_ANCHORS, WIDE_AREA_MARKERS, is_wide_area

SAPPORO = (43.062, 141.354)


def ids(results) -> list[str]:
    return [r.id for r in results]


def test_site_outside_the_radius_is_excluded(index: Index) -> None:
    q = Query(text="ドローンの目視外飛行", lat=SAPPORO[0], lon=SAPPORO[1], radius_km=50, kinds=["site"])
    got = ids(index.rank(q, limit=10))
    assert "s-drone-far" not in got and "s-drone" in got
    assert index.explain(q, "s-drone-far") is None


def test_reasons_give_the_distance(index: Index) -> None:
    q = Query(text="ドローンの目視外飛行", lat=SAPPORO[0], lon=SAPPORO[1], radius_km=50)
    r = index.explain(q, "s-drone")
    assert r is not None
    assert 4 < r.reasons.distance_km < 8 and r.reasons.within_radius is True


def test_organisation_outside_the_radius_is_kept_but_scored_lower(index: Index) -> None:
    q = Query(text="水田 実証", lat=42.92, lon=143.20, radius_km=30, kinds=["organisation"])
    r = index.explain(q, "o-farm")
    assert r is not None and r.reasons.within_radius is False
    assert r.reasons.components["geo"] < 0.1


def test_wide_area_organisation_is_near_everywhere(index: Index) -> None:
    q = Query(text="drone inspection", lat=42.0, lon=143.0, radius_km=20)
    r = index.explain(q, "o-drone")
    assert r is not None and r.reasons.wide_area is True and r.reasons.components["geo"] == 1.0


@pytest.mark.parametrize("text, expected", [
    ("道内全域に出張対応します", True),
    ("ｄｒｏｎｅ　ｓｅｒｖｉｃｅｓ ALL  OVER\nHOKKAIDO", True),  # full width, upper case, spaces
    ("We inspect at customers\u2019 sites", True),  # typographic apostrophe
    ("On\u2010site surveys", True),  # Unicode hyphen
    ("札幌市内のみ", False),
    ("drone services in Sapporo", False),
])
def test_wide_area_is_read_from_any_spelling(text: str, expected: bool) -> None:
    assert is_wide_area(Candidate(id="o", kind="organisation", name="", text=text)) is expected


def test_every_wide_area_marker_has_an_anchor() -> None:
    # The quick check skips the full normalisation for texts without an anchor.
    assert all(any(a in m for a in _WIDE_AREA_ANCHORS) for m in WIDE_AREA_MARKERS)


def test_site_closed_in_the_period_is_excluded(index: Index) -> None:
    q = Query(text="ドローン飛行場", period=("2027-01-10", "2027-02-20"), kinds=["site"])
    assert "s-summer" not in ids(index.rank(q, limit=10))


def test_site_open_for_part_of_the_period_is_downgraded(index: Index) -> None:
    q = Query(text="ドローン飛行場", period=("2027-01-10", "2027-02-20"), kinds=["site"])
    r = index.explain(q, "s-partial")
    assert r is not None
    assert r.reasons.period_fully_covered is False
    assert r.reasons.period_overlap_days == 22 and r.reasons.downgraded
    same_text = Query(text="ドローン飛行場", kinds=["site"])
    assert r.score < index.explain(same_text, "s-partial").score


def test_contributions_add_up_to_the_score(index: Index) -> None:
    q = Query(text="UAV inspection", tags=["drone"], lat=SAPPORO[0], lon=SAPPORO[1], radius_km=80,
              period=("2027-01-10", "2027-01-20"))
    for r in index.rank(q, limit=8):
        assert sum(r.reasons.contributions.values()) == pytest.approx(r.score, abs=0.05)
        assert 0 <= r.score <= 100


def test_kinds_limit_the_results(index: Index) -> None:
    results = index.rank(Query(text="ドローン drone"), limit=10, kinds=["organisation"])
    assert results and {r.kind for r in results} == {"organisation"}


def test_ties_are_ordered_by_id() -> None:
    cands = [Candidate(cid, "同じ説明文です。ドローン。", kind="site") for cid in ("b", "c", "a")]
    results = Index.build(cands).rank(Query(text="ドローン"), limit=3)
    assert ids(results) == ["a", "b", "c"]
    assert len({r.score for r in results}) == 1


def test_ranking_is_deterministic(index: Index) -> None:
    q = Query(text="ドローン 水素 drone")
    assert [r.to_dict() for r in index.rank(q, limit=8)] == [r.to_dict() for r in index.rank(q, limit=8)]


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_top_gives_a_prefix_of_a_longer_ranking(index: Index, k: int) -> None:
    q = Query(text="ドローンの飛行 drone inspection")
    assert ids(index.rank(q, limit=k)) == ids(index.rank(q, limit=8))[:k]


WORDS = ["ドローン", "水素", "自動運転", "水田", "港湾", "積雪", "冬季", "点検", "配送", "ロボット",
         "drone", "hydrogen", "snow", "farm", "port", "inspection", "delivery", "robot", "trial"]


def random_catalogue(n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = "、".join(rng.sample(WORDS, 4)) + "の実証ができます。"
        kind = rng.choice(["site", "organisation"])
        avail = [("2027-01-01", "2027-03-31")] if kind == "site" and rng.random() < 0.3 else []
        out.append(Candidate(f"c{i:03d}", text, kind=kind, tags=rng.sample(WORDS, 2),
                             lat=42.5 + rng.random(), lon=141 + 2 * rng.random(), available=avail))
    return out


def brute_force(index: Index, q: Query, top: int) -> list[tuple[str, float]]:
    """Score every candidate with the full scorer, no posting lists, no candidate pool."""
    scored = [index.explain(q, c.id) for c in index.candidates]
    kept = [r for r in scored if r is not None and (q.kinds is None or r.kind in q.kinds)]
    kept.sort(key=lambda r: (r.reasons.weak is not None, -r.score, r.id))  # real matches first, then weak ones
    return [(r.id, r.score) for r in kept[:top]]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_indexed_ranking_agrees_with_brute_force(seed: int) -> None:
    index = Index.build(random_catalogue(60, seed))
    rng = random.Random(seed)
    for _ in range(5):
        q = Query(text=" ".join(rng.sample(WORDS, 3)), tags=rng.sample(WORDS, 1),
                  lat=43.0, lon=142.0, radius_km=rng.choice([40, 80, 200]),
                  period=("2027-02-01", "2027-04-30") if rng.random() < 0.5 else None,
                  kinds=rng.choice([None, ["site"], ["organisation"]]))
        fast = [(r.id, r.score) for r in index.rank(q, limit=10)]
        assert fast == brute_force(index, q, 10)


@pytest.mark.parametrize("seed", [4, 5])
def test_brute_force_parity_holds_with_weak_candidates(seed: int) -> None:
    # A point and a period make every candidate scoreable on them alone: those with (almost) no text
    # relevance are weak and come after the real matches, in the index as in brute force.
    index = Index.build(random_catalogue(60, seed))
    rng = random.Random(seed)
    weak_seen = 0
    for _ in range(4):
        q = Query(text=rng.choice(WORDS), lat=43.0, lon=142.0, radius_km=300, period=("2027-02-01", "2027-02-10"))
        fast = index.rank(q, limit=5)  # the whole catalogue fits the rerank depth (100)
        assert [(r.id, r.score) for r in fast] == brute_force(index, q, 5)
        every = index.rank(q, limit=60)
        flags = [r.reasons.weak is not None for r in every]
        assert flags == sorted(flags)  # real matches first, then the weak ones
        # Weak ones tie on period and distance: within a tie, the order follows unrounded scores.
        assert sorted((r.id, r.score) for r in every) == sorted(brute_force(index, q, 60))
        weak_seen += sum(flags)
    assert weak_seen


def test_posting_list_scores_equal_dense_cosine() -> None:
    index = Index.build(random_catalogue(40, 7))
    ctx = index.prepare(Query(text="ドローン 水素 snow"))
    dense = np.array([index.text_score_one(ctx, i) for i in range(len(index))])
    assert np.allclose(index.text_scores(ctx), dense)


def test_small_rerank_depth_keeps_the_best_text_match() -> None:
    index = Index.build(random_catalogue(60, 4))
    q = Query(text="ドローン 水素 点検")
    shallow = index.rank(q, limit=1, weights=Weights(rerank_depth=10))
    ctx = index.prepare(q)
    best_text = int(np.argmax(index.text_scores(ctx)))
    pool_ids = {r.id for r in index.rank(q, limit=10, weights=Weights(rerank_depth=10))}
    assert index.candidates[best_text].id in pool_ids and shallow


def test_threads_share_one_index_and_get_the_sequential_results(index: Index) -> None:
    from concurrent.futures import ThreadPoolExecutor

    queries = [Query(text=t) for t in ("ドローン 点検", "hydrogen truck", "水田 実証", "UAV BVLOS", "冬季 積雪")] * 4
    expected = [[r.to_dict() for r in index.rank(q, limit=5)] for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: [r.to_dict() for r in index.rank(q, limit=5)], queries))
    assert got == expected


def test_a_site_without_coordinates_is_kept_without_distance(index: Index) -> None:
    idx = Index.build([Candidate("s-x", "ドローン飛行場", kind="site")])
    r = idx.rank(Query(text="ドローン", lat=43.0, lon=141.0, radius_km=10), limit=1)
    assert [x.id for x in r] == ["s-x"] and r[0].reasons.distance_km is None


def test_pruned_candidate_choice_still_finds_matches_for_common_words(monkeypatch) -> None:
    import matching.index as mi

    monkeypatch.setattr(mi, "POSTINGS_BUDGET", 5)  # force pruning on a small catalogue
    index = Index.build(random_catalogue(60, 5))
    q = Query(text="ドローン 水素 点検 配送 ロボット")
    pruned = index.rank(q, limit=5, weights=Weights(rerank_depth=10))
    assert len(pruned) == 5
    full = brute_force(index, q, 60)
    scores = dict(full)
    assert all(scores[r.id] == r.score for r in pruned)  # exact scores for the chosen ones


def test_saved_index_ranks_like_the_original(index: Index, tmp_path) -> None:
    path = tmp_path / "index.npz"
    index.save(path)
    with np.load(path, allow_pickle=False) as z:  # arrays and JSON only: loads without pickle
        assert set(z.files) == {"meta", "data", "indices", "indptr", "idf"}
    loaded = Index.load(path)
    for q in (Query(text="UAV inspection 水素", lat=SAPPORO[0], lon=SAPPORO[1], radius_km=100),
              Query(text="ドローン 冬季", period=("2027-01-10", "2027-02-28")), Query(text="水田 farm", tags=["水田"])):
        expected = [r.to_dict() for r in index.rank(q, limit=5)]
        assert expected and [r.to_dict() for r in loaded.rank(q, limit=5)] == expected
    assert [c.to_dict() for c in loaded.candidates] == [c.to_dict() for c in index.candidates]


def test_a_saved_index_is_refused_by_another_analyser_and_when_it_is_not_an_index(index: Index, tmp_path) -> None:
    path = tmp_path / "index.npz"
    index.save(path)
    with pytest.raises(ValueError, match="analyser"):
        Index.load(path, analyzer=Analyzer(lexicon={"水素": "hydrogen"}))
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"not an index")
    with pytest.raises(ValueError, match="not a saved index"):
        Index.load(junk)
