"""Analysing many texts in worker processes (large index builds), and pausing the cycle collector
while many analyses pile up."""
from __future__ import annotations

import gc
import logging
import math
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import accumulate
from typing import Any, Callable, Iterator, Sequence

from .analyzer import Analysis, Analyzer, _tokenizer, default_analyzer

logger = logging.getLogger(__name__)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cycle collector while many analyses pile up: they hold no reference cycles, and
    the collector would otherwise walk all of them again and again (about 7 % of the time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _analyze_texts(texts: list[str]) -> list[Analysis]:
    analyzer = default_analyzer()
    with _without_gc():
        out = [analyzer.analyze(t) for t in texts]
    for a in out:
        a.canonical_text = ""  # not needed by the index; less to send back to the parent
    return out


# From this many texts on, ``analyze_many(workers=None)`` uses all cores (up to AUTO_MAX_WORKERS):
# starting a worker costs about a second (Sudachi dictionary, lexicon), a text about 0.5 ms.
AUTO_PARALLEL_MIN = 20_000
AUTO_MAX_WORKERS = 4


def auto_workers(n_texts: int) -> int:
    """Processes ``analyze_many`` uses by default for ``n_texts`` texts (1 inside a worker)."""
    if n_texts < AUTO_PARALLEL_MIN or multiprocessing.parent_process() is not None:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, AUTO_MAX_WORKERS))


def start_in_workers(func: Callable[[list[str]], Any], texts: Sequence[str],
                     workers: int | None) -> Callable[..., list[Any] | None] | None:
    """Start ``func`` on chunks of ``texts`` in ``workers`` processes and return a function
    that waits for the results (in order); the caller can do other work in between. Returns None
    when the texts should be analysed in this process (few texts, one worker); the waiting function
    returns None when the workers failed, for instance in a script without an
    ``if __name__ == "__main__"`` guard, ``wait(each=f)`` returns ``f`` of each result, called as
    soon as that result has come (while later chunks are still analysed), and ``wait(cancel=True)``
    drops the work not started yet.

    ``workers=None`` chooses: all cores (at most ``AUTO_MAX_WORKERS``) from ``AUTO_PARALLEL_MIN``
    texts on, one process below.
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        # A worker is re-running a main module without an ``if __name__ == "__main__"`` guard:
        # stop it here (the parent then analyses the texts itself) instead of doing all the work again.
        raise RuntimeError("texts analysed while a worker process starts; guard the main module")
    if workers is None:
        workers = auto_workers(len(texts))
    if workers <= 1 or len(texts) < 2000:
        return None
    bounds = list(accumulate(chunk_sizes(len(texts), workers), initial=0))
    parts = [list(texts[a:b]) for a, b in zip(bounds, bounds[1:])]
    context = _pool_context()
    if context.get_start_method() == "fork":
        _tokenizer()  # loaded once here, inherited by every worker
        default_analyzer()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        results = pool.map(func, parts)
    except (BrokenProcessPool, RuntimeError, OSError) as exc:  # could not even start: analyse here
        pool.shutdown(cancel_futures=True)
        return _workers_failed(exc)

    def wait(cancel: bool = False, each: Callable[[Any], Any] | None = None) -> list[Any] | None:
        if cancel:
            pool.shutdown(wait=False, cancel_futures=True)
            return None
        try:
            return [each(r) for r in results] if each is not None else list(results)
        except (BrokenProcessPool, RuntimeError, OSError) as exc:
            return _workers_failed(exc)
        finally:
            pool.shutdown(cancel_futures=True)

    return wait


MIN_CHUNK = 1500


def chunk_sizes(n: int, workers: int) -> list[int]:
    """Sizes of the chunks ``n`` texts are cut into for ``workers`` processes: each a share of
    ``1 / (2 * workers)`` of the texts still left (at least ``MIN_CHUNK``), so that chunks shrink
    towards the end and the workers finish at about the same time (equal chunks left one worker
    idle for up to a chunk's time, about 3 s of a 100,000-text build)."""
    sizes = []
    left = n
    while left > 0:
        size = min(left, max(MIN_CHUNK, math.ceil(left / (2 * workers))))
        sizes.append(size)
        left -= size
    return sizes


def _pool_context() -> multiprocessing.context.BaseContext:
    """How to start analysis workers: forked from this process when it runs a single thread, so
    that they start at once with the analyser this process has loaded (a spawned worker loads the
    Sudachi dictionary and the lexicon again, about a second per worker); spawned otherwise, since
    forking a process that runs other threads (a web server's) can deadlock the child."""
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _workers_failed(exc: BaseException) -> None:
    logger.warning("analysis workers failed (%s); analysing in this process", exc)


def in_workers(func: Callable[[list[str]], Any], texts: Sequence[str], workers: int | None) -> list[Any] | None:
    """``func`` applied to chunks of ``texts`` in worker processes, in order; None when the texts
    should be analysed in this process (see ``start_in_workers``)."""
    wait = start_in_workers(func, texts, workers)
    return wait() if wait is not None else None


def analyze_many(texts: Sequence[str], analyzer: Analyzer | None = None,
                 workers: int | None = None) -> list[Analysis]:
    """Analyse many texts; ``workers > 1`` spreads the default analyser over processes
    (``None``: all cores from ``AUTO_PARALLEL_MIN`` texts on, see ``in_workers``)."""
    parts = in_workers(_analyze_texts, texts, workers) if analyzer is None else None
    if parts is not None:
        return [a for part in parts for a in part]
    a = analyzer or default_analyzer()
    with _without_gc():
        return [a.analyze(t) for t in texts]
