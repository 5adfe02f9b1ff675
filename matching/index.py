"""The candidate index: posting lists over analysed terms, hard filters, and the explained score."""
from __future__ import annotations

import logging
import math
import pickle
import time
from dataclasses import dataclass
from itertools import chain, count as _count
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .analyzer import (Analysis, Analyzer, _analyze_texts, _without_gc, analyze_many, default_analyzer,
                       start_in_workers)
from .constraints import geo_components, haversine_km
from .evidence import Side, shared_evidence
from .normalize import nfkc_lower
from .schema import Candidate, Query, Result
from .scoring import Filters, QueryContext, Weights, is_wide_area, term_weight

logger = logging.getLogger(__name__)

INDEX_FORMAT = "matching-index-3"
# Choosing candidates reads the postings of the query's rarest terms up to this many entries;
# the frequent terms still count in the exact score of the candidates chosen.
POSTINGS_BUDGET = 300_000


_EMPTY: frozenset[str] = frozenset()


# What the analysis of a chunk of texts gives the index: the chunk's terms in order of first
# occurrence, per term occurrence its column in that list and its sub-linear weight, terms per text,
# and per text the space-joined primary terms, synonyms used, laws and surface forms.
EncodedAnalyses = tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str], list[Any], list[frozenset[str]],
                        list[Any]]


def encode_analyses(analyses: Sequence[Analysis]) -> EncodedAnalyses:
    """The compact form of ``analyses`` for ``Index`` (loops run in C: map, chain, dict.fromkeys)."""
    term_dicts = [a.terms for a in analyses]
    lengths = np.fromiter(map(len, term_dicts), dtype=np.int64, count=len(term_dicts))
    all_terms = list(chain.from_iterable(term_dicts))
    local = dict(zip(dict.fromkeys(all_terms), _count()))
    # int32: half the bytes a worker sends back (a chunk's vocabulary is far below 2**31 terms).
    cols = np.fromiter(map(local.__getitem__, all_terms), dtype=np.int32, count=len(all_terms))
    tf = np.fromiter(chain.from_iterable(map(dict.values, term_dicts)), dtype=np.float64, count=cols.size)
    tf = np.where(tf > 1.0, 1.0 + np.log(np.maximum(tf, 1.0)), tf)  # ``term_weight``, done by the workers
    wakati = [" ".join(a.primary) for a in analyses]  # unsorted: sorting was a tenth of the encoding
    synonyms = [sorted(set(a.synonyms)) if a.synonyms else () for a in analyses]
    laws = [frozenset(a.laws) if a.laws else _EMPTY for a in analyses]
    surfaces = [a.surfaces or None for a in analyses]
    return list(local), cols, tf, lengths, wakati, synonyms, laws, surfaces


def _analyze_and_encode(texts: list[str]) -> EncodedAnalyses:
    with _without_gc():
        return encode_analyses(_analyze_texts(texts))


class _Merged:
    """Encoded chunks joined in order, as they arrive: one vocabulary in order of first occurrence
    (as for one chunk), term columns renumbered into it, and the per-text lists."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self._cols: list[np.ndarray] = []
        self._tf: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self.wakati: list[str] = []
        self.synonyms: list[Any] = []
        self.laws: list[frozenset[str]] = []
        self.surfaces: list[Any] = []

    def add(self, part: EncodedAnalyses) -> None:
        terms, cols, tf, lengths, wakati, synonyms, laws, surfaces = part
        vocab = self.vocab
        vocab.update(zip([t for t in terms if t not in vocab], _count(len(vocab))))
        # 32-bit columns: half the memory traffic of the last steps (np.fromiter refuses overflow).
        self._cols.append(np.fromiter(map(vocab.__getitem__, terms), dtype=np.int32, count=len(terms))[cols]
                          if terms else cols)
        self._tf.append(tf)
        self._lengths.append(lengths)
        self.wakati += wakati
        self.synonyms += synonyms
        self.laws += [law if law else _EMPTY for law in laws]
        self.surfaces += surfaces

    @classmethod
    def of(cls, analyses: Sequence[Analysis]) -> "_Merged":
        """``analyses`` made in this process, as one chunk."""
        merged = cls()
        merged.add(encode_analyses(analyses))
        return merged

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term columns, term weights and terms per text of all chunks."""
        if not self._cols:
            return np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0, dtype=np.int64)
        return np.concatenate(self._cols), np.concatenate(self._tf), np.concatenate(self._lengths)


@dataclass(frozen=True)
class CorpusStats:
    """Document frequencies of a whole catalogue (``n`` documents; ``df``: term -> documents with
    it). An index built over part of the catalogue with these stats weighs terms as the whole
    catalogue's index does, so its scores are the same (``Index.corpus_stats``)."""

    n: int
    df: Mapping[str, int]


def _total_weight(comp: dict[str, np.ndarray], w: Weights) -> np.ndarray:
    """The weights of the components present (not NaN), per candidate."""
    total = np.zeros(len(comp["text"]))
    for k, v in comp.items():
        total += np.where(np.isnan(v), 0.0, getattr(w, k))
    return total


def _score(comp: dict[str, np.ndarray], factor: np.ndarray, w: Weights) -> np.ndarray:
    """0-100: the weighted mean of the components present, times the factor."""
    weighted = np.zeros(len(comp["text"]))
    for k, v in comp.items():
        weighted += np.where(np.isnan(v), 0.0, getattr(w, k) * v)
    total_w = _total_weight(comp, w)
    return 100.0 * factor * weighted / np.where(total_w > 0, total_w, 1.0)


class Index:
    """An index over candidates (sites, organisations, or needs) for fast explained ranking.

    Build it with ``Index.build(candidates)``; it is read-only afterwards and safe to share
    between threads.
    """

    def __init__(self, candidates: list[Candidate], analyses: list[Analysis], analyzer: Analyzer,
                 corpus: CorpusStats | None = None) -> None:
        self._index_candidates(candidates, analyzer)
        self._index_terms(_Merged.of(analyses), corpus)
        if any(a.tag_terms is not None for a in analyses):
            self.tag_terms = [a.tag_terms for a in analyses]

    def _index_candidates(self, candidates: list[Candidate], analyzer: Analyzer) -> None:
        """Everything but the text: kinds, places, availability, id order (no analysis needed)."""
        self.candidates = candidates
        self.analyzer = analyzer
        self.position = {c.id: i for i, c in enumerate(candidates)}
        n = len(candidates)
        self.support = [frozenset(c.support) if c.support else _EMPTY for c in candidates]
        kinds = sorted({c.kind for c in candidates})
        self.kind_codes = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([self.kind_codes[c.kind] for c in candidates], dtype=np.int16)
        self.lat = np.array([c.lat if c.lat is not None else np.nan for c in candidates], dtype=np.float64)
        self.lon = np.array([c.lon if c.lon is not None else np.nan for c in candidates], dtype=np.float64)
        self._trig = (np.radians(self.lat), np.radians(self.lon), np.cos(np.radians(self.lat)))
        self.wide_area = np.array([is_wide_area(c) for c in candidates], dtype=bool)
        owner, start, end = [], [], []
        for i, c in enumerate(candidates):
            for a, b in c.available:
                owner.append(i)
                start.append(a.toordinal())
                end.append(b.toordinal())
        self.av_owner = np.asarray(owner, dtype=np.int64)
        self.av_start = np.asarray(start, dtype=np.int64)
        self.av_end = np.asarray(end, dtype=np.int64)
        self.has_available = np.zeros(n, dtype=bool)
        self.has_available[self.av_owner] = True
        ids = [c.id for c in candidates]
        self.ids_sorted_rank = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[self.ids_sorted_rank] = np.arange(n)
        self.tag_terms: list[frozenset[str] | None] = [None] * n  # stored analyses' tag terms

    def _index_terms(self, merged: _Merged, corpus: CorpusStats | None = None) -> None:
        """The TF-IDF matrix, its postings and the evidence of every candidate's analysis."""
        n = len(self.candidates)
        if len(merged.wakati) != n:
            raise ValueError(f"{len(merged.wakati)} analyses for {n} candidates")
        vocab = merged.vocab
        cols, tfw, lengths = merged.arrays()
        # Rows come grouped by candidate with no repeated term: the CSR arrays are the inputs.
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        self.vocab = vocab
        self.terms = np.empty(len(vocab), dtype=object)
        self.terms[list(vocab.values())] = list(vocab.keys())
        df = np.bincount(cols, minlength=len(vocab))
        self.corpus = corpus
        if corpus is None:
            self.idf = np.log((n + 1) / (df + 1)) + 1.0
        else:  # the whole catalogue's weights (a term it lacks counts with this index's frequency)
            whole = np.fromiter((corpus.df.get(t, d) for t, d in zip(vocab, df.tolist())), dtype=np.float64,
                                count=len(vocab))
            self.idf = np.log((corpus.n + 1) / (whole + 1)) + 1.0
        data = tfw * self.idf[cols]
        squares = np.zeros(n)  # per row, summed over its slice of ``data`` (empty rows stay 0)
        filled = lengths > 0
        if data.size:
            squares[filled] = np.add.reduceat(data * data, indptr[:-1][filled])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, lengths)
        self.x = sp.csr_matrix((data, cols, indptr), shape=(n, len(vocab)))
        self.x.sort_indices()
        self.postings = self.x.T.tocsr()  # term -> (documents, weights)
        self.df = np.diff(self.postings.indptr)
        # Terms found literally (not only as glosses), space-joined in no particular order: the
        # rapidfuzz rerank string (token_set_ratio sorts the words itself) and, split again, the
        # evidence of an explanation.
        self.wakati = merged.wakati
        self.synonyms = merged.synonyms
        self.laws = merged.laws
        self.surfaces = merged.surfaces  # term -> word as written (evidence)
        self.ascii_vocab = [t for t in vocab if t.isascii() and t.isalpha() and len(t) >= 3]

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, candidates: Iterable[Candidate | dict[str, Any]], analyzer: Analyzer | None = None,
              workers: int | None = None, *, analyses: Sequence[Analysis | dict[str, Any]] | None = None,
              corpus: CorpusStats | None = None) -> "Index":
        """Analyse and index ``candidates`` (Candidate objects or CLI-style dicts).

        ``workers > 1`` analyses large catalogues in that many processes (default analyser only);
        ``None`` (default) uses all cores (up to 4) from 20,000 candidates on, one process below.
        ``analyses`` (one per candidate, in order: ``Analysis`` objects or their ``to_json()``
        values, made by ``Analyzer.analyze_candidate``) are indexed as they are, without analysing
        again; the index ranks exactly as one built from the texts. ``corpus`` weighs terms by a
        whole catalogue's document frequencies (see ``CorpusStats``).
        """
        items = list(candidates)
        seen: set[str] = set()
        for c in items:
            cid = c.id if isinstance(c, Candidate) else str(c["id"])
            if cid in seen:
                raise ValueError(f"duplicate candidate id {cid!r}")
            seen.add(cid)
        with _without_gc():  # 100,000s of new objects and no cycles among them
            if analyses is not None:
                stored = [a if isinstance(a, Analysis) else Analysis.from_json(a) for a in analyses]
                if len(stored) != len(items):
                    raise ValueError(f"{len(stored)} analyses for {len(items)} candidates")
                cands = [c if isinstance(c, Candidate) else Candidate.from_dict(c) for c in items]
                return cls(cands, stored, analyzer or default_analyzer(), corpus)
            return cls._build(items, analyzer, workers, corpus)

    @classmethod
    def _build(cls, items: list[Candidate | dict[str, Any]], analyzer: Analyzer | None,
               workers: int | None, corpus: CorpusStats | None = None) -> "Index":
        t0 = time.perf_counter()
        texts = [c.full_text() if isinstance(c, Candidate) else Candidate.full_text_of(c) for c in items]
        # Workers send back term columns and a chunk vocabulary, not thousands of small objects;
        # this process builds the candidates and indexes everything but the text meanwhile.
        wait = start_in_workers(_analyze_and_encode, texts, workers) if analyzer is None else None
        index = cls.__new__(cls)
        try:
            cands = [c if isinstance(c, Candidate) else Candidate.from_dict(c) for c in items]
            index._index_candidates(cands, analyzer or default_analyzer())
        except BaseException:
            if wait is not None:
                wait(cancel=True)
            raise
        merged = _Merged()  # chunks are joined as they come, while the workers go on
        if wait is None or wait(each=merged.add) is None:  # no workers, or they failed (maybe midway)
            merged = _Merged.of(analyze_many(texts, analyzer, workers=1))
        t1 = time.perf_counter()
        index._index_terms(merged, corpus)
        logger.info("indexed %d candidates: analysis %.2f s, index %.2f s", len(cands), t1 - t0,
                    time.perf_counter() - t1)
        return index

    def __len__(self) -> int:
        return len(self.candidates)

    def corpus_stats(self) -> CorpusStats:
        """This index's document frequencies, for indexes built over part of its candidates."""
        return CorpusStats(len(self.candidates), dict(zip(self.vocab, self.df.tolist())))

    # -- persistence --------------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("analyzer", None)  # large (lexicon) and rebuilt on load
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.analyzer = default_analyzer()

    def save(self, path: str | Path) -> None:
        """Write the index to ``path`` (pickle; only load files this application wrote itself).

        Building costs about 1 ms of CPU per document, so an app can keep a cache file in its
        instance folder and rebuild it only when the catalogue changes.
        """
        with Path(path).open("wb") as fh:
            pickle.dump((INDEX_FORMAT, self), fh, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def load(cls, path: str | Path, analyzer: Analyzer | None = None) -> "Index":
        """Read an index written by ``save`` (with the default analyser unless one is given)."""
        with Path(path).open("rb") as fh:
            fmt, index = pickle.load(fh)
        if fmt != INDEX_FORMAT or not isinstance(index, cls):
            raise ValueError(f"{path}: not an index of format {INDEX_FORMAT}")
        if analyzer is not None:
            index.analyzer = analyzer
        return index

    # -- queries ------------------------------------------------------------------------------
    def _term_ids(self, terms: dict[str, float],
                  primary: set[str]) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
        ids: dict[int, float] = {}
        corrections: list[tuple[str, str]] = []
        outside = 0.0  # squared weights of terms the whole catalogue has but this index lacks
        corpus = self.corpus
        for term, tf in terms.items():
            tid = self.vocab.get(term)
            if tid is None and corpus is not None and term in corpus.df:
                w_out = term_weight(tf) * (math.log((corpus.n + 1) / (corpus.df[term] + 1)) + 1.0)
                outside += w_out * w_out
                continue
            if (tid is None and term in primary and term.isascii() and term.isalpha() and len(term) >= 3
                    and self.ascii_vocab):
                # A misspelt English word (wnd, floatng) is replaced by its closest indexed word.
                hit = process.extractOne(term, self.ascii_vocab, scorer=fuzz.ratio, score_cutoff=84)
                if hit is not None:
                    corrections.append((term, hit[0]))
                    tid = self.vocab[hit[0]]
            if tid is not None:
                ids[tid] = ids.get(tid, 0.0) + term_weight(tf) * self.idf[tid]
        arr = np.fromiter(ids.keys(), dtype=np.int64, count=len(ids))
        w = np.fromiter(ids.values(), dtype=np.float64, count=len(ids))
        norm = float(np.sqrt((w * w).sum() + outside)) or 1.0
        return arr, w / norm, corrections

    def prepare(self, query: Query) -> QueryContext:
        """Analyse a query against this index (done once per query)."""
        a = self.analyzer.analyze(query.text)
        tag_terms = []
        for tag in query.tags:
            ta = self.analyzer.analyze(tag)
            for t, w in ta.terms.items():
                a.add(t, w, primary=t in ta.primary)
            a.synonyms.extend(ta.synonyms)
            for k, v in ta.surfaces.items():
                a.surfaces.setdefault(k, v)
            if ta.primary:
                tag_terms.append((tag, set(ta.primary)))
        ids, w, corrections = self._term_ids(a.terms, a.primary)
        return QueryContext(query, a, ids, w, tag_terms, " ".join(sorted(a.primary)), corrections)

    def text_scores(self, ctx: QueryContext, prune: bool = False) -> np.ndarray:
        """Cosine similarity of the query with every candidate, from the posting lists.

        With ``prune``, only the query's rarest terms are read, up to ``POSTINGS_BUDGET`` postings
        (at least three terms): the scores are then a lower bound, good for choosing candidates.
        """
        n = len(self.candidates)
        ids, weights = ctx.ids, ctx.weights
        if prune and ids.size > 3:
            order = np.argsort(self.df[ids], kind="stable")
            count = max(3, int(np.searchsorted(np.cumsum(self.df[ids][order]), POSTINGS_BUDGET, side="right")))
            ids, weights = ids[order[:count]], weights[order[:count]]
        if ids.size == 0 or n == 0:
            return np.zeros(n)
        # The rows of the query's terms, summed with their weights (a sparse matrix-vector product).
        return self.postings[ids].T.dot(weights)

    def exact_text_scores(self, ctx: QueryContext, idx: np.ndarray) -> np.ndarray:
        """Exact cosine of the query with candidates ``idx`` (row products, no pruning)."""
        if idx.size == 0 or ctx.ids.size == 0:
            return np.zeros(idx.size)
        q = np.zeros(self.x.shape[1])
        q[ctx.ids] = ctx.weights
        return np.asarray(self.x[idx] @ q).ravel()

    def candidate_pool(self, ctx: QueryContext, allowed: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """Candidates to score fully and their exact text cosine.

        All allowed candidates when there are at most ``depth``; otherwise the ``depth`` best by
        (pruned) posting-list cosine.
        """
        pool = np.flatnonzero(allowed) if allowed is not None else np.arange(len(self.candidates))
        if pool.size > depth:
            approx = self.text_scores(ctx, prune=True)[pool]
            if np.count_nonzero(approx) < depth:  # the rare terms found too few: read them all
                approx = self.text_scores(ctx)[pool]
            pool, approx = pool[approx > 0], approx[approx > 0]
            if pool.size > depth:
                pool = pool[np.argpartition(-approx, depth - 1)[:depth]]
        return pool, self.exact_text_scores(ctx, pool)

    def text_score_one(self, ctx: QueryContext, i: int) -> float:
        """Cosine similarity of the query with candidate ``i`` (the reference for ``text_scores``)."""
        lo, hi = self.x.indptr[i], self.x.indptr[i + 1]
        cols, data = self.x.indices[lo:hi], self.x.data[lo:hi]
        qmap = dict(zip(ctx.ids.tolist(), ctx.weights.tolist()))
        return float(sum(d * qmap[c] for c, d in zip(cols.tolist(), data.tolist()) if c in qmap))

    def _filters(self, query: Query, kinds: Sequence[str] | None) -> "Filters":
        """Hard filters (kind; the circle and availability for sites) and the arrays they need."""
        n = len(self.candidates)
        allowed = np.ones(n, dtype=bool)
        kinds = kinds if kinds is not None else query.kinds
        if kinds is not None:
            codes = [self.kind_codes[k] for k in kinds if k in self.kind_codes]
            allowed &= np.isin(self.kind, codes)
        site = self.kind == self.kind_codes.get("site", -1)
        dist = None
        if query.lat is not None and query.lon is not None:
            dist = haversine_km(query.lat, query.lon, self.lat, self.lon, self._trig)
            if query.radius_km is not None:
                allowed &= ~(site & (dist > query.radius_km))
        overlap = full = None
        if query.period is not None:
            a, b = query.period[0].toordinal(), query.period[1].toordinal()
            days = b - a + 1
            overlap = np.full(n, days, dtype=np.int64)
            full = np.ones(n, dtype=bool)
            if self.av_owner.size:
                ov = np.minimum(self.av_end, b) - np.maximum(self.av_start, a) + 1
                best = np.zeros(n, dtype=np.int64)
                np.maximum.at(best, self.av_owner, ov)
                covers = np.zeros(n, dtype=bool)
                covers[self.av_owner[(self.av_start <= a) & (self.av_end >= b)]] = True
                overlap = np.where(self.has_available, np.maximum(best, 0), overlap)
                full = np.where(self.has_available, covers, full)
                allowed &= ~(site & self.has_available & (overlap <= 0))
        return Filters(allowed, dist, overlap, full)

    def _fuzzy(self, ctx: QueryContext, idx: np.ndarray) -> np.ndarray:
        """rapidfuzz ``token_set_ratio`` of the query's terms with those of candidates ``idx`` (0-1)."""
        if not idx.size:
            return np.zeros(0)
        return process.cdist([ctx.wakati], [self.wakati[i] for i in idx.tolist()], scorer=fuzz.token_set_ratio,
                             processor=None, dtype=np.float64)[0] / 100.0

    def _components(self, ctx: QueryContext, idx: np.ndarray, cos: np.ndarray, f: "Filters", w: Weights,
                    fuzzy: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Component arrays (NaN = absent) for candidates ``idx``, the factor and the score
        (``fuzzy`` given: those values instead of computing the fuzzy component)."""
        q = ctx.query
        m = idx.size
        comp: dict[str, np.ndarray] = {"text": cos, "fuzzy": self._fuzzy(ctx, idx) if fuzzy is None else fuzzy}
        if ctx.tag_terms:
            total = np.zeros(m)
            n = len(self.candidates)
            for _, terms in ctx.tag_terms:
                hits = np.zeros(m)
                for t in terms:
                    tid = self.vocab.get(t)
                    if tid is None:
                        continue
                    mark = np.zeros(n, dtype=bool)
                    mark[self.postings.indices[self.postings.indptr[tid]:self.postings.indptr[tid + 1]]] = True
                    hits += mark[idx]
                total += hits / len(terms)
            comp["tags"] = total / len(ctx.tag_terms)
        if f.dist is not None:
            d = f.dist[idx]
            wide = self.wide_area[idx] & (self.kind[idx] != self.kind_codes.get("site", -1))
            comp["geo"] = np.where(np.isnan(d), np.nan, geo_components(d, q.radius_km, wide))
        if q.support:
            wanted = frozenset(q.support)
            comp["support"] = np.fromiter((len(wanted & self.support[i]) / len(wanted) for i in idx.tolist()),
                                          dtype=np.float64, count=m)
        factor = np.ones(m)
        if f.overlap is not None and q.period is not None:
            days = (q.period[1] - q.period[0]).days + 1
            comp["period"] = f.overlap[idx] / days
            factor = np.where(f.full[idx], 1.0, w.partial_period_factor)
        return comp, factor, _score(comp, factor, w)

    def explain(self, query: Query | QueryContext, candidate_id: str, weights: Weights | None = None) -> Result | None:
        """Score one candidate with the full scorer and all reasons (None if a hard filter drops it).

        This is also the reference the fast ``rank`` must agree with.
        """
        ctx = query if isinstance(query, QueryContext) else self.prepare(query)
        i = self.position[candidate_id]
        f = self._filters(ctx.query, [self.candidates[i].kind])
        if not f.allowed[i]:
            return None
        w = weights or Weights()
        comp, factor, score = self._components(ctx, np.array([i]), np.array([self.text_score_one(ctx, i)]), f, w)
        return self._explained(ctx, i, {k: float(v[0]) for k, v in comp.items()}, float(factor[0]),
                               float(score[0]), f, w)

    def rank(self, query: Query, *, limit: int = 10, kinds: Sequence[str] | None = None,
             weights: Weights | None = None, min_score: float = 0, among: Iterable[str] | None = None) -> list[Result]:
        """The ``limit`` best candidates for ``query`` scoring at least ``min_score``, best first
        (ties: id ascending).

        ``kinds`` overrides ``query.kinds``; ``among`` ranks only those candidate ids (unknown ids
        are ignored): each keeps the score it has in a ranking of the whole index. Sites outside
        the circle or not available at all in the period are left out; every result carries its
        reasons.
        """
        w = weights or Weights()
        top = limit
        ctx = self.prepare(query)
        f = self._filters(query, kinds)
        if among is not None:
            subset = np.zeros(len(self.candidates), dtype=bool)
            subset[[self.position[c] for c in among if c in self.position]] = True
            f.allowed &= subset
        pool, cos = self.candidate_pool(ctx, f.allowed, w.rerank_depth)
        # The fuzzy component (weight 0.05, the costliest) only for the candidates it could bring into
        # the top: scored first without it, a candidate whose score with a perfect fuzzy match stays
        # below the ``top``-th best score without it cannot be shown. Results are exactly the same.
        comp, factor, score = self._components(ctx, pool, cos, f, w, fuzzy=np.zeros(pool.size))
        need = np.ones(pool.size, dtype=bool)
        if pool.size > top:
            total_w = _total_weight(comp, w)
            best_possible = score + 100.0 * factor * w.fuzzy / np.where(total_w > 0, total_w, 1.0)
            need = best_possible >= np.partition(score, pool.size - top)[pool.size - top] - 1e-6
        comp["fuzzy"][need] = self._fuzzy(ctx, pool[need])
        score = _score(comp, factor, w)
        order = np.lexsort((self.id_rank[pool], -np.round(score, 6)))[:top]
        if min_score > 0:
            order = order[score[order] >= min_score]
        return [self._explained(ctx, int(pool[j]), {k: float(v[j]) for k, v in comp.items()},
                                float(factor[j]), float(score[j]), f, w) for j in order.tolist()]

    def _explained(self, ctx: QueryContext, i: int, comp_row: dict[str, float], factor: float, score: float,
                   f: "Filters", w: Weights) -> Result:
        """The result for candidate ``i`` with its reasons, from its component values."""
        c = self.candidates[i]
        q = ctx.query
        comp = {k: v for k, v in comp_row.items() if not math.isnan(v)}
        total_w = sum(getattr(w, k) for k in comp) or 1.0
        contrib = {k: 100.0 * factor * getattr(w, k) * v / total_w for k, v in comp.items()}
        reasons: dict[str, Any] = {"contributions": {k: round(v, 2) for k, v in contrib.items()}}
        terms = self._terms_of(i)
        if ctx.tag_terms:
            reasons["tags_matched"] = [t for t, ts in ctx.tag_terms if ts & terms]
            reasons["tags_missing"] = [t for t, ts in ctx.tag_terms if not ts & terms]
        if "geo" in comp:
            d = float(f.dist[i])
            reasons["distance_km"] = round(d, 1)
            if q.radius_km is not None:
                reasons["within_radius"] = d <= q.radius_km
            if self.wide_area[i] and c.kind != "site":
                reasons["wide_area"] = True
        if "support" in comp:
            reasons["support_matched"] = sorted(set(q.support) & self.support[i])
            reasons["support_missing"] = sorted(set(q.support) - self.support[i])
        if "period" in comp:
            days = (q.period[1] - q.period[0]).days + 1
            reasons["period_overlap_days"] = int(f.overlap[i])
            reasons["period_days"] = days
            reasons["period_fully_covered"] = bool(f.full[i])
            if factor != 1.0:
                reasons["downgraded"] = f"available for only {int(f.overlap[i])} of {days} days of the period"
                reasons["factor"] = factor
        if ctx.term_mask is None:  # the query's terms as a mask over the vocabulary, once per query
            ctx.term_mask = np.zeros(len(self.vocab), dtype=bool)
            ctx.term_mask[ctx.ids] = True
        row = self.x.indices[self.x.indptr[i]:self.x.indptr[i + 1]]
        common = row[ctx.term_mask[row]]  # sorted, as the row is
        ranked = self.terms[common[np.argsort(-self.idf[common], kind="stable")]].tolist()
        matched, bridges = shared_evidence(self.analyzer, ranked, self.query_side(ctx), self.side(i),
                                           corrected=[b for _, b in ctx.corrections])
        reasons.update({
            "components": {k: round(v, 4) for k, v in comp.items()},
            "weights": {k: round(getattr(w, k) / total_w, 4) for k in comp},
            "matched_terms": matched,
            "bridges": bridges,
            "synonyms_used": sorted({f"{a}→{b}" for a, b in [*ctx.analysis.synonyms, *self.synonyms[i]]
                                     if b in ranked or nfkc_lower(b) in ranked})[:12],
        })
        if ctx.corrections:
            reasons["spelling"] = [f"{a}→{b}" for a, b in ctx.corrections]
        return Result(c.id, c.kind, round(score, 2), reasons)

    def side(self, i: int) -> Side:
        """Candidate ``i`` as one side of an explanation (its text and the words behind its terms)."""
        return Side(self.candidates[i].full_text(), self.primary_terms(i), self.surfaces[i] or {}, self.synonyms[i])

    @staticmethod
    def query_side(ctx: QueryContext) -> Side:
        """The query as one side of an explanation (text and tags), made once per query."""
        if ctx.side is None:
            q = ctx.query
            a = ctx.analysis
            ctx.side = Side(" ".join([q.text, *q.tags]), a.primary, a.surfaces, a.synonyms)
        return ctx.side

    def primary_terms(self, i: int) -> set[str]:
        """Terms of candidate ``i`` found literally in its text (not only as glosses)."""
        return set(self.wakati[i].split(" ")) if self.wakati[i] else set()

    def _terms_of(self, i: int) -> set[str]:
        lo, hi = self.x.indptr[i], self.x.indptr[i + 1]
        return set(self.terms[self.x.indices[lo:hi]])
