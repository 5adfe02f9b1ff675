"""Stored analyses: an analysis survives JSON, and an index built from stored analyses ranks (and
pairs needs) exactly as one built from the texts; a subset ranks as in the whole catalogue."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import synthetic
from matching import (
    ANALYZER_VERSION,
    Analysis,
    Analyzer,
    Candidate,
    Index,
    NeedIndex,
    Query,
    StaleAnalysis,
    default_analyzer,
    load_synonyms,
)


def _stored(cands: list[Candidate], analyzer: Analyzer | None = None) -> list[dict]:
    """What an app would keep in a column: the JSON text of each candidate's analysis."""
    a = analyzer or default_analyzer()
    return [json.loads(json.dumps(a.analyze_candidate(c).to_json(a.version), ensure_ascii=False)) for c in cands]


def _dumps(results: list) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, sort_keys=True)


def test_an_analysis_survives_json() -> None:
    a = default_analyzer()
    analysis = a.analyze_candidate(Candidate("x", "UAVの目視外飛行と hydrogen fuel-cells 航空法", name="ばいおがす",
                                             tags=["ドローン", "水素"]))
    value = json.loads(json.dumps(analysis.to_json(a.version)))
    back = Analysis.from_json(value, version=a.version)
    assert back == analysis
    assert back.terms and back.synonyms and back.laws and back.tag_terms
    assert Analysis.from_json(json.dumps(value)) == analysis  # the JSON text is accepted too


def test_an_analysis_of_another_version_is_stale() -> None:
    value = default_analyzer().analyze("ドローン").to_json("older")
    with pytest.raises(StaleAnalysis):
        Analysis.from_json(value, version=default_analyzer().version)
    with pytest.raises(StaleAnalysis):
        Analysis.from_json(default_analyzer().analyze("ドローン").to_json(), version=default_analyzer().version)


def test_the_version_changes_with_the_synonyms(tmp_path: Path) -> None:
    base = default_analyzer().version
    assert base.startswith(ANALYZER_VERSION + "+")
    assert Analyzer().version == base  # the same tables give the same version
    extra = tmp_path / "extra.tsv"
    extra.write_text("ドローン\tクワッドコプター\n", encoding="utf-8")
    assert Analyzer(synonyms=load_synonyms(extra)).version != base
    assert Analyzer(lexicon={"水素": "hydrogen"}).version != base


@pytest.fixture(scope="module")
def dev_candidates() -> list[Candidate]:
    """A synthetic catalogue (sites and organisations, Japanese and English)."""
    return [Candidate.from_dict(d) for d in synthetic.candidates(500, seed=11)]


@pytest.fixture(scope="module")
def dev_queries() -> list[Query]:
    """Synthetic requests, half of them without a circle or period (text only)."""
    queries = [Query.from_dict(d) for d in synthetic.queries(30, seed=12)]
    return queries + [Query(text=q.text, tags=q.tags) for q in queries[:15]]


def test_stored_analyses_rank_exactly_as_a_normal_build(dev_candidates: list[Candidate], dev_queries: list[Query],
                                                         catalogue: list[Candidate]) -> None:
    for cands, queries in ((dev_candidates, dev_queries),
                           (catalogue, [Query(text="ドローン 目視外飛行 UAV"), Query(text="水素 hydrogen trucks")])):
        normal = Index.build(cands)
        stored = Index.build(cands, analyses=_stored(cands))
        for q in queries:
            expected = normal.rank(q, limit=10)
            assert expected
            assert _dumps(stored.rank(q, limit=10)) == _dumps(expected)


def test_stored_need_analyses_give_the_same_pairs_and_suggestions(needs: list[dict]) -> None:
    needs = [Candidate.from_dict(d) for d in needs] + [Candidate.from_dict(d) for d in
                                                        synthetic.candidates(300, seed=5, kind="need")]
    normal = NeedIndex.build(needs)
    stored = NeedIndex.build(needs, analyses=_stored(needs))
    expected = [p.to_dict() for p in normal.all_pairs(threshold=20)]
    assert expected
    assert [p.to_dict() for p in stored.all_pairs(threshold=20)] == expected
    for n in needs[:10]:
        assert (_dumps(stored.similar_to(n.text, n.tags, exclude=n.id))
                == _dumps(normal.similar_to(n.text, n.tags, exclude=n.id)))


def test_stored_analyses_are_not_analysed_again(dev_candidates: list[Candidate], monkeypatch) -> None:
    stored = _stored(dev_candidates[:20])
    analyzer = default_analyzer()

    def refuse(*args, **kwargs):
        raise AssertionError("analysed again")

    monkeypatch.setattr(analyzer, "analyze", refuse)
    monkeypatch.setattr(analyzer, "analyze_tag", refuse)
    index = NeedIndex.build(dev_candidates[:20], analyses=stored)
    assert all(index.tag_set(i) is not None for i in range(20))


def test_analyses_must_match_the_candidates(dev_candidates: list[Candidate]) -> None:
    with pytest.raises(ValueError):
        Index.build(dev_candidates[:3], analyses=_stored(dev_candidates[:2]))


def test_a_subset_ranks_as_in_the_whole_catalogue(dev_candidates: list[Candidate], dev_queries: list[Query]) -> None:
    whole = Index.build(dev_candidates)
    for q in dev_queries[:15]:
        full = {r.id: r.to_dict() for r in whole.rank(q, limit=len(dev_candidates))}
        subset = list(full)[3:40:2]  # some good, some poor candidates
        got = whole.rank(q, limit=10, among=subset)
        assert got and {r.id for r in got} <= set(subset)
        assert [r.to_dict() for r in got] == [full[i] for i in subset][:10]


def test_an_index_built_in_chunks_ranks_as_one_built_at_once(dev_candidates: list[Candidate],
                                                              dev_queries: list[Query]) -> None:
    stored = _stored(dev_candidates)
    at_once = Index.build(dev_candidates, analyses=stored)
    chunks = ((dev_candidates[i:i + 7], stored[i:i + 7]) for i in range(0, len(dev_candidates), 7))
    chunked = Index.from_chunks(chunks)
    for q in dev_queries[:15]:
        assert _dumps(chunked.rank(q, limit=10)) == _dumps(at_once.rank(q, limit=10))
    with pytest.raises(ValueError):
        Index.from_chunks([(dev_candidates[:3], stored[:2])])
    with pytest.raises(ValueError):
        Index.from_chunks([(dev_candidates[:2], stored[:2]), (dev_candidates[1:2], stored[1:2])])


def test_excluded_candidates_are_left_out_and_the_others_keep_their_scores(dev_candidates: list[Candidate],
                                                                          dev_queries: list[Query]) -> None:
    whole = Index.build(dev_candidates)
    for q in dev_queries[:15]:
        full = {r.id: r.to_dict() for r in whole.rank(q, limit=len(dev_candidates))}
        left_out = set(list(full)[:12:3]) | {"no such id"}
        got = [r.to_dict() for r in whole.rank(q, limit=10, excluding=left_out)]
        assert got and not {r["id"] for r in got} & left_out
        # Each keeps its score and reasons; one from beyond the text pool of the whole ranking
        # (its depth is fixed) may come in where the excluded ones left room.
        assert [r for r in got if r["id"] in full] == [full[r["id"]] for r in got if r["id"] in full]
        assert got[0] == next(r for i, r in full.items() if i not in left_out)
        assert [r["score"] for r in got] == sorted((r["score"] for r in got), reverse=True)


def test_a_small_index_with_the_catalogue_stats_scores_as_the_whole(dev_candidates: list[Candidate],
                                                                   dev_queries: list[Query]) -> None:
    whole = Index.build(dev_candidates)
    analyses = _stored(dev_candidates)
    stats = whole.corpus_stats()
    for q in dev_queries[:15]:
        full = {r.id: r.score for r in whole.rank(q, limit=len(dev_candidates))}
        picked = [i for i, c in enumerate(dev_candidates) if c.id in list(full)[:30]]
        small = Index.build([dev_candidates[i] for i in picked], analyses=[analyses[i] for i in picked], corpus=stats)
        got = small.rank(q, limit=10)
        assert got
        for r in got:
            assert r.score == pytest.approx(full[r.id], abs=0.011)


def test_min_score_cuts_the_list(dev_candidates: list[Candidate], dev_queries: list[Query]) -> None:
    index = Index.build(dev_candidates)
    q = dev_queries[0]
    everything = index.rank(q, limit=30)
    cut = everything[len(everything) // 2].score
    got = index.rank(q, limit=30, min_score=cut)
    assert got and all(r.score >= cut - 0.01 for r in got)
    assert [r.id for r in got] == [r.id for r in everything if r.score >= cut - 0.005][:len(got)]
    assert len(got) < len(everything)
