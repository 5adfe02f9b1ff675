"""Index building: the fast paths give exactly the analyses and index of the plain code."""
from __future__ import annotations

import numpy as np

from bench import synthetic
from matching import Candidate, Index
from matching.analyzer import AUTO_PARALLEL_MIN, Analysis, analyze_many, auto_workers, default_analyzer


def test_auto_workers_is_one_for_small_catalogues() -> None:
    assert auto_workers(10) == 1
    assert auto_workers(AUTO_PARALLEL_MIN - 1) == 1
    assert 1 <= auto_workers(AUTO_PARALLEL_MIN) <= 4


def test_cached_ascii_tokens_match_the_english_analysis() -> None:
    a = default_analyzer()
    text = "UAVとdroneの試験 drones flights H2 fuel-cells 5G long-term tests ばいおがす 出張対応"
    first, second = a.analyze(text), a.analyze(text)  # second run reads the caches
    assert first == second
    assert "ドローン" in first.terms and "flight" in first.terms
    assert first.surfaces.get("flight") == "flights"


def test_two_processes_give_the_same_index_as_one() -> None:
    cands = [Candidate.from_dict(d) for d in synthetic.candidates(2100, seed=3)]
    texts = [c.full_text() for c in cands]
    one = analyze_many(texts, workers=1)
    two = analyze_many(texts, workers=2)
    for a, b in zip(one, two):
        assert a.terms == b.terms and a.primary == b.primary and a.surfaces == b.surfaces
    i1, i2 = Index(cands, one, default_analyzer()), Index.build(cands, workers=2)
    assert list(i1.vocab.items()) == list(i2.vocab.items())
    assert np.array_equal(i1.x.indptr, i2.x.indptr) and np.array_equal(i1.x.indices, i2.x.indices)
    assert np.array_equal(i1.x.data, i2.x.data)
    assert i1.wakati == i2.wakati and i1.synonyms == i2.synonyms and i1.laws == i2.laws
    assert i1.surfaces == i2.surfaces


def test_empty_analysis_is_indexed() -> None:
    index = Index([Candidate(id="a", kind="site", name="", text="")], [Analysis()], default_analyzer())
    assert len(index) == 1
