"""The kind of support wanted is a scored component with its reasons."""
from __future__ import annotations

from matching import Candidate, Index, Query

PARTNERS = [
    Candidate(id="o1", kind="organisation", name="北央銀行", text="道内企業への融資と出資。ドローン事業者への投資実績。",
              support=["funding"]),
    Candidate(id="o2", kind="organisation", name="空知ドローン", text="ドローンの運航と点検。融資の相談は受けていない。",
              support=["partners"]),
]


def test_a_candidate_giving_the_wanted_support_ranks_higher_and_says_so():
    index = Index.build(PARTNERS)
    results = index.rank(Query(text="ドローン事業の資金を探している", support=["funding"]), limit=2)
    assert [r.id for r in results] == ["o1", "o2"]
    assert results[0].reasons.support_matched == ["funding"]
    assert results[1].reasons.support_missing == ["funding"]
    assert results[0].reasons.components["support"] == 1.0 and results[1].reasons.components["support"] == 0.0


def test_support_counts_only_when_the_query_names_it():
    index = Index.build(PARTNERS)
    result = index.rank(Query(text="ドローン"), limit=1)[0]
    assert "support" not in result.reasons.components and result.reasons.support_matched is None


def test_contributions_still_add_up_with_support():
    index = Index.build(PARTNERS)
    for result in index.rank(Query(text="ドローンの資金", support=["funding", "partners"]), limit=2):
        assert abs(sum(result.reasons.contributions.values()) - result.score) < 0.05
        assert result.reasons.components["support"] == 0.5


def test_rank_agrees_with_explain_on_support():
    index = Index.build(PARTNERS)
    query = Query(text="ドローン事業の資金", support=["funding"])
    for result in index.rank(query, limit=2):
        assert abs(index.explain(query, result.id).score - result.score) < 1e-6


def test_support_from_json_lines():
    assert Candidate.from_dict({"id": "x", "text": "t", "support": ["pr"]}).support == ["pr"]
    assert Query.from_dict({"text": "t", "support": ["permits"]}).support == ["permits"]
