"""Index building: the fast paths give exactly the analyses and index of the plain code."""
from __future__ import annotations

import json
import threading
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Iterator

import numpy as np
import pytest

from bench import synthetic
from matching import Candidate, Index
from matching.analyzer import Analysis, default_analyzer
from matching.pool import AUTO_PARALLEL_MIN, MIN_CHUNK, _pool_context, analyze_many, auto_workers, chunk_sizes


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


@pytest.mark.slow  # the process pool
def test_two_processes_give_the_same_index_as_one() -> None:
    cands = [Candidate.from_dict(d) for d in synthetic.candidates(2100, seed=3)]
    texts = [c.full_text() for c in cands]
    one = analyze_many(texts, workers=1)
    two = analyze_many(texts, workers=2)
    for a, b in zip(one, two):
        assert a.terms == b.terms and a.primary == b.primary and a.surfaces == b.surfaces
    i1, i2 = Index(cands, one, default_analyzer()), Index.build(cands, workers=2)
    _assert_same_text_index(i1, i2)


def _assert_same_text_index(i1: Index, i2: Index) -> None:
    assert list(i1.vocab.items()) == list(i2.vocab.items())
    assert np.array_equal(i1.x.indptr, i2.x.indptr) and np.array_equal(i1.x.indices, i2.x.indices)
    assert np.array_equal(i1.x.data, i2.x.data)
    # The literal terms are kept space-joined in no particular order (set order differs by process).
    assert [sorted(w.split(" ")) for w in i1.wakati] == [sorted(w.split(" ")) for w in i2.wakati]
    assert i1.synonyms == i2.synonyms and i1.laws == i2.laws and i1.surfaces == i2.surfaces


@contextmanager
def _another_thread_running() -> Iterator[None]:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_workers_are_forked_only_from_a_single_threaded_process(monkeypatch) -> None:
    with _another_thread_running():
        assert _pool_context().get_start_method() == "spawn"
    monkeypatch.setattr(threading, "active_count", lambda: 1)  # whatever other tests left running
    assert _pool_context().get_start_method() == "fork"


@pytest.mark.slow  # the process pool
def test_spawned_workers_give_the_same_index_as_one_process() -> None:
    cands = [Candidate.from_dict(d) for d in synthetic.candidates(2100, seed=6)]
    one = Index(cands, analyze_many([c.full_text() for c in cands], workers=1), default_analyzer())
    with _another_thread_running():  # a web server's threads: workers are spawned, not forked
        spawned = Index.build(cands, workers=2)
    _assert_same_text_index(one, spawned)


@pytest.mark.slow  # the process pool
def test_workers_failing_after_some_chunks_leave_the_whole_analysis_to_this_process(monkeypatch, caplog) -> None:
    import matching.pool as pool_module

    class FailingPool:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def map(self, func, parts):
            def results():
                yield func(parts[0])  # one chunk arrives and is merged, then the pool breaks
                raise BrokenProcessPool("a worker died")
            return results()

        def shutdown(self, *args, **kwargs) -> None:
            pass

    cands = [Candidate.from_dict(d) for d in synthetic.candidates(2100, seed=7)]
    one = Index(cands, analyze_many([c.full_text() for c in cands], workers=1), default_analyzer())
    monkeypatch.setattr(pool_module, "ProcessPoolExecutor", FailingPool)
    _assert_same_text_index(one, Index.build(cands, workers=2))
    assert "analysis workers failed (a worker died)" in caplog.text


def test_rows_are_unit_vectors_and_texts_without_terms_stay_empty() -> None:
    cands = [Candidate(id="e0", text=""), *[Candidate.from_dict(d) for d in synthetic.candidates(30, seed=8)],
             Candidate(id="e1", text="。、"), Candidate(id="e2", text="")]
    index = Index.build(cands, workers=1)
    lengths = np.diff(index.x.indptr)
    norms = np.sqrt(np.asarray(index.x.multiply(index.x).sum(axis=1)).ravel())
    empty = [index.position[i] for i in ("e0", "e1", "e2")]
    assert (lengths[empty] == 0).all() and (norms[empty] == 0).all()
    assert np.allclose(np.delete(norms, empty), 1.0)


def test_empty_analysis_is_indexed() -> None:
    index = Index([Candidate(id="a", kind="site", name="", text="")], [Analysis()], default_analyzer())
    assert len(index) == 1


def test_latin_words_in_japanese_text_are_read_as_in_english_text() -> None:
    a = default_analyzer()
    mixed = a.analyze("石狩市でlong-term flightsの試験。約142haの敷地、fy2027から")
    english = a.analyze("long-term flights, about 142 ha, from fy 2027")
    for term in ("long", "term", "flight", "ha", "fy"):
        assert term in mixed.terms and term in english.terms
    assert mixed.surfaces["flight"] == "flights"
    assert "142ha" not in mixed.terms and "long-term" not in mixed.terms and "fy2027" not in mixed.terms
    assert "試験" in mixed.terms and "敷地" in mixed.terms


@pytest.mark.parametrize(("n", "workers"), [(100_000, 2), (20_000, 4), (2_100, 2), (1_000, 2)])
def test_chunks_cover_the_texts_and_shrink_towards_the_end(n: int, workers: int) -> None:
    sizes = chunk_sizes(n, workers)
    assert sum(sizes) == n and all(s > 0 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)
    assert all(s >= MIN_CHUNK for s in sizes[:-1])
    assert sizes[0] <= max(MIN_CHUNK, -(-n // (2 * workers)))
    if n >= 20_000:  # the last chunks are small: the workers finish close together
        assert sizes[-1] <= MIN_CHUNK and len(sizes) > 2 * workers


def test_synonym_written_in_two_scripts_stays_one_term() -> None:
    a = default_analyzer()
    for text in ("ローカル5Gの基地局を置きたい", "We want a local 5G base station"):
        assert "ローカル5g" in a.analyze(text).terms, text


def test_sudachi_runs_without_the_plugins_the_analyser_does_not_need() -> None:
    from matching.analyzer import _UNUSED_SUDACHI_PLUGINS, _sudachi_config

    config = json.loads(_sudachi_config())
    classes = [p["class"] for key in ("inputTextPlugin", "pathRewritePlugin") for p in config[key]]
    assert classes and not any(c.endswith(_UNUSED_SUDACHI_PLUGINS) for c in classes)
    assert any(c.endswith("DefaultInputTextPlugin") for c in classes)


def test_duplicate_candidate_ids_are_refused_before_any_work() -> None:
    with pytest.raises(ValueError, match="duplicate candidate id 'a'"):
        Index.build([Candidate("a", "x"), Candidate("b", "y"), Candidate("a", "z")])


def test_build_takes_candidates_only() -> None:
    with pytest.raises(TypeError, match="Candidate objects"):
        Index.build([{"id": "a", "text": "x"}])


def test_a_candidate_survives_its_dict() -> None:
    for d in synthetic.candidates(50, seed=4) + [{"id": "x", "text": "t"}, {"id": "y", "text": "", "tags": ["a"]}]:
        c = Candidate.from_dict(d)
        assert Candidate.from_dict(c.to_dict()) == c


@pytest.mark.slow  # the process pool
def test_workers_that_cannot_start_leave_the_analysis_to_this_process(monkeypatch, caplog) -> None:
    import matching.pool as pool_module

    class NoPool:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def map(self, *args, **kwargs):
            raise OSError("no processes here")

        def shutdown(self, *args, **kwargs) -> None:
            pass

    monkeypatch.setattr(pool_module, "ProcessPoolExecutor", NoPool)
    texts = [Candidate.from_dict(d).full_text() for d in synthetic.candidates(2100, seed=5)]
    got = analyze_many(texts, workers=2)
    assert [a.terms for a in got] == [a.terms for a in analyze_many(texts, workers=1)]
    assert "analysis workers failed (no processes here)" in caplog.text
