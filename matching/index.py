"""The candidate index: posting lists over analysed terms, hard filters, and the explained score."""
from __future__ import annotations

import datetime as dt
import logging
import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import multiprocessing
import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .analyzer import Analysis, Analyzer, default_analyzer
from .constraints import geo_component, haversine_km, period_overlap
from .normalize import nfkc_lower
from .schema import Candidate, Query, Result

logger = logging.getLogger(__name__)

# Phrases saying that an organisation works anywhere in Hokkaido (its office place then does not
# matter). Compared with the NFKC/lower-cased text before synonym rewriting.
WIDE_AREA_MARKERS = (
    "道内全域", "道内各地", "全道", "北海道全域", "北海道内全域", "全国", "出張対応", "出張",
    "all over hokkaido", "across hokkaido", "throughout hokkaido", "anywhere in hokkaido",
    "nationwide", "customers' sites", "customer sites", "on site at", "on-site",
)


@dataclass(frozen=True)
class Weights:
    """Weights of the score components for ranking (any scale; they are renormalised over the
    components present for a query, e.g. no ``geo`` without a point).

    ``partial_period_factor`` multiplies the score of a site that is available for only part of
    the wanted period; ``rerank_depth`` is how many text candidates get the full scorer.
    """

    text: float = 0.50
    fuzzy: float = 0.05
    tags: float = 0.20
    geo: float = 0.15
    period: float = 0.10
    partial_period_factor: float = 0.6
    rerank_depth: int = 300


def term_weight(tf: float) -> float:
    """Sub-linear term frequency (1 + ln tf above 1; glosses below 1 keep their weight)."""
    return 1.0 + math.log(tf) if tf > 1.0 else tf


def _analyze_texts(texts: list[str]) -> list[Analysis]:
    analyzer = default_analyzer()
    return [analyzer.analyze(t) for t in texts]


def analyze_many(texts: Sequence[str], analyzer: Analyzer | None = None, workers: int = 1) -> list[Analysis]:
    """Analyse many texts; ``workers > 1`` spreads the default analyser over processes."""
    if workers <= 1 or len(texts) < 2000 or analyzer is not None:
        a = analyzer or default_analyzer()
        return [a.analyze(t) for t in texts]
    chunk = math.ceil(len(texts) / (workers * 4))
    parts = [list(texts[i:i + chunk]) for i in range(0, len(texts), chunk)]
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        return [a for part in pool.map(_analyze_texts, parts) for a in part]


@dataclass
class QueryContext:
    """A query analysed against one index (term ids, weights, tag terms)."""

    query: Query
    analysis: Analysis
    ids: np.ndarray
    weights: np.ndarray
    tag_terms: list[tuple[str, set[str]]]
    wakati: str
    corrections: list[tuple[str, str]] = field(default_factory=list)


class Index:
    """An index over candidates (sites, organisations, or needs) for fast explained ranking.

    Build it with ``Index.build(candidates)``; it is read-only afterwards and safe to share
    between threads.
    """

    def __init__(self, candidates: list[Candidate], analyses: list[Analysis], analyzer: Analyzer) -> None:
        self.candidates = candidates
        self.analyzer = analyzer
        self.position = {c.id: i for i, c in enumerate(candidates)}
        n = len(candidates)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        prim: list[bool] = []
        for i, a in enumerate(analyses):
            for term, tf in a.terms.items():
                rows.append(i)
                cols.append(vocab.setdefault(term, len(vocab)))
                vals.append(term_weight(tf))
                prim.append(term in a.primary)
        self.vocab = vocab
        self.terms = np.array(sorted(vocab, key=vocab.__getitem__), dtype=object)
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)) if cols else np.zeros(0)
        self.idf = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float64)
        data = np.asarray(vals, dtype=np.float64) * self.idf[np.asarray(cols, dtype=np.int64)] if cols else np.zeros(0)
        x = sp.csr_matrix((data, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.x = sp.csr_matrix(sp.diags(1.0 / norms) @ x)
        self.x.sort_indices()
        self.postings = self.x.T.tocsr()  # term -> (documents, weights)
        pm = sp.csr_matrix((np.asarray(prim, dtype=np.float64), (rows, cols)), shape=(n, len(vocab)))
        self.primary = [set(self.terms[pm.indices[pm.indptr[i]:pm.indptr[i + 1]][pm.data[pm.indptr[i]:pm.indptr[i + 1]] > 0]])
                        for i in range(n)]
        self.synonyms = [sorted(set(a.synonyms)) for a in analyses]
        self.laws = [a.laws for a in analyses]
        self.wakati = [" ".join(sorted(p)) for p in self.primary]
        self.ascii_vocab = [t for t in vocab if t.isascii() and t.isalpha() and len(t) >= 3]
        kinds = sorted({c.kind for c in candidates})
        self.kind_codes = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([self.kind_codes[c.kind] for c in candidates], dtype=np.int16)
        self.lat = np.array([c.lat if c.lat is not None else np.nan for c in candidates], dtype=np.float64)
        self.lon = np.array([c.lon if c.lon is not None else np.nan for c in candidates], dtype=np.float64)
        self.wide_area = np.array([any(m in nfkc_lower(c.name + " " + c.text) for m in WIDE_AREA_MARKERS)
                                   for c in candidates], dtype=bool)
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
        self.ids_sorted_rank = np.argsort(np.array([c.id for c in candidates], dtype=object), kind="stable")
        self.id_rank = np.empty(n, dtype=np.int64)
        self.id_rank[self.ids_sorted_rank] = np.arange(n)

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def build(cls, candidates: Iterable[Candidate | dict[str, Any]], analyzer: Analyzer | None = None,
              workers: int = 1) -> "Index":
        """Analyse and index ``candidates`` (Candidate objects or CLI-style dicts).

        ``workers > 1`` analyses large catalogues in that many processes (default analyser only).
        """
        cands = [c if isinstance(c, Candidate) else Candidate.from_dict(c) for c in candidates]
        seen: set[str] = set()
        for c in cands:
            if c.id in seen:
                raise ValueError(f"duplicate candidate id {c.id!r}")
            seen.add(c.id)
        analyses = analyze_many([c.full_text() for c in cands], analyzer, workers)
        return cls(cands, analyses, analyzer or default_analyzer())

    def __len__(self) -> int:
        return len(self.candidates)

    # -- queries ------------------------------------------------------------------------------
    def _term_ids(self, terms: dict[str, float],
                  primary: set[str]) -> tuple[np.ndarray, np.ndarray, list[tuple[str, str]]]:
        ids: dict[int, float] = {}
        corrections: list[tuple[str, str]] = []
        for term, tf in terms.items():
            tid = self.vocab.get(term)
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
        norm = float(np.sqrt((w * w).sum())) or 1.0
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
            if ta.primary:
                tag_terms.append((tag, set(ta.primary)))
        ids, w, corrections = self._term_ids(a.terms, a.primary)
        return QueryContext(query, a, ids, w, tag_terms, " ".join(sorted(a.primary)), corrections)

    def text_scores(self, ctx: QueryContext) -> np.ndarray:
        """Cosine similarity of the query with every candidate, from the posting lists."""
        n = len(self.candidates)
        if ctx.ids.size == 0 or n == 0:
            return np.zeros(n)
        p = self.postings
        starts, ends = p.indptr[ctx.ids], p.indptr[ctx.ids + 1]
        lengths = ends - starts
        idx = np.concatenate([p.indices[s:e] for s, e in zip(starts, ends)])
        vals = np.concatenate([p.data[s:e] for s, e in zip(starts, ends)]) * np.repeat(ctx.weights, lengths)
        return np.bincount(idx, weights=vals, minlength=n)

    def text_score_one(self, ctx: QueryContext, i: int) -> float:
        """Cosine similarity of the query with candidate ``i`` (the reference for ``text_scores``)."""
        lo, hi = self.x.indptr[i], self.x.indptr[i + 1]
        cols, data = self.x.indices[lo:hi], self.x.data[lo:hi]
        qmap = dict(zip(ctx.ids.tolist(), ctx.weights.tolist()))
        return float(sum(d * qmap[c] for c, d in zip(cols.tolist(), data.tolist()) if c in qmap))

    def _allowed(self, query: Query, kinds: Sequence[str] | None) -> tuple[np.ndarray, np.ndarray | None]:
        """Hard filters: kind, the circle for sites, and availability for sites."""
        n = len(self.candidates)
        allowed = np.ones(n, dtype=bool)
        kinds = kinds if kinds is not None else query.kinds
        if kinds is not None:
            codes = [self.kind_codes[k] for k in kinds if k in self.kind_codes]
            allowed &= np.isin(self.kind, codes)
        site = self.kind == self.kind_codes.get("site", -1)
        dist = None
        if query.lat is not None and query.lon is not None:
            dist = haversine_km(query.lat, query.lon, self.lat, self.lon)
            if query.radius_km is not None:
                allowed &= ~(site & (dist > query.radius_km))
        if query.period is not None and self.av_owner.size:
            a, b = query.period[0].toordinal(), query.period[1].toordinal()
            overlap = np.minimum(self.av_end, b) - np.maximum(self.av_start, a) + 1
            best = np.zeros(n, dtype=np.int64)
            np.maximum.at(best, self.av_owner, overlap)
            allowed &= ~(site & self.has_available & (best <= 0))
        return allowed, dist

    def explain(self, query: Query | QueryContext, candidate_id: str, weights: Weights | None = None) -> Result | None:
        """Score one candidate with the full scorer and all reasons (None if a hard filter drops it).

        This is also the reference the fast ``rank`` must agree with.
        """
        ctx = query if isinstance(query, QueryContext) else self.prepare(query)
        i = self.position[candidate_id]
        allowed, _ = self._allowed(ctx.query, [self.candidates[i].kind])
        if not allowed[i]:
            return None
        return self._score(ctx, i, self.text_score_one(ctx, i), weights or Weights(), explain=True)

    def rank(self, query: Query, top: int = 10, kinds: Sequence[str] | None = None,
             weights: Weights | None = None) -> list[Result]:
        """The ``top`` best candidates for ``query``, best first (ties: id ascending).

        ``kinds`` overrides ``query.kinds``. Sites outside the circle or not available at all in
        the period are left out; every result carries its reasons.
        """
        weights = weights or Weights()
        ctx = self.prepare(query)
        allowed, _ = self._allowed(query, kinds)
        cos = self.text_scores(ctx)
        pool = np.flatnonzero(allowed)
        if pool.size > weights.rerank_depth:
            cand = pool[cos[pool] > 0]
            if cand.size > weights.rerank_depth:
                part = np.argpartition(-cos[cand], weights.rerank_depth - 1)[:weights.rerank_depth]
                cand = cand[part]
            pool = cand
        scored = []
        for i in pool.tolist():
            r = self._score(ctx, i, float(cos[i]), weights, explain=False)
            scored.append((-round(r.score, 6), self.candidates[i].id, i, float(cos[i])))
        scored.sort()
        return [self._score(ctx, i, c, weights, explain=True) for _, _, i, c in scored[:top]]

    # -- scoring ------------------------------------------------------------------------------
    def _score(self, ctx: QueryContext, i: int, cos: float, w: Weights, explain: bool) -> Result:
        c = self.candidates[i]
        q = ctx.query
        comp: dict[str, float] = {"text": cos}
        reasons: dict[str, Any] = {}
        comp["fuzzy"] = fuzz.token_set_ratio(ctx.wakati, self.wakati[i], processor=None) / 100.0
        cand_terms = None
        if ctx.tag_terms:
            cand_terms = self._terms_of(i)
            matched, missing, total = [], [], 0.0
            for tag, terms in ctx.tag_terms:
                frac = len(terms & cand_terms) / len(terms)
                total += frac
                (matched if frac > 0 else missing).append(tag)
            comp["tags"] = total / len(ctx.tag_terms)
            reasons["tags_matched"], reasons["tags_missing"] = matched, missing
        factor = 1.0
        if q.lat is not None and q.lon is not None and c.lat is not None and c.lon is not None:
            d = float(haversine_km(q.lat, q.lon, c.lat, c.lon))
            wide = bool(self.wide_area[i]) and c.kind != "site"
            comp["geo"] = geo_component(d, q.radius_km, wide)
            reasons["distance_km"] = round(d, 1)
            if q.radius_km is not None:
                reasons["within_radius"] = d <= q.radius_km
            if wide:
                reasons["wide_area"] = True
        if q.period is not None:
            overlap, full = period_overlap(q.period, c.available)
            days = (q.period[1] - q.period[0]).days + 1
            comp["period"] = overlap / days
            reasons["period_overlap_days"], reasons["period_days"] = overlap, days
            reasons["period_fully_covered"] = full
            if c.available and not full:
                factor = w.partial_period_factor
                reasons["downgraded"] = f"available for only {overlap} of {days} days of the period"
        weight = {k: getattr(w, k) for k in comp}
        total_w = sum(weight.values()) or 1.0
        contrib = {k: 100.0 * factor * weight[k] * comp[k] / total_w for k in comp}
        score = sum(contrib.values())
        if not explain:
            return Result(c.id, c.kind, score)
        terms = cand_terms if cand_terms is not None else self._terms_of(i)
        shared = sorted(set(ctx.analysis.terms) & terms,
                        key=lambda t: (t not in self.primary[i], -self.idf[self.vocab[t]], t))
        reasons.update({
            "contributions": {k: round(v, 2) for k, v in contrib.items()},
            "components": {k: round(v, 4) for k, v in comp.items()},
            "weights": {k: round(weight[k] / total_w, 4) for k in comp},
            "matched_terms": shared[:12],
            "synonyms_used": sorted({f"{a}→{b}" for a, b in ctx.analysis.synonyms + self.synonyms[i]
                                     if b in shared or nfkc_lower(b) in shared})[:12],
        })
        if ctx.corrections:
            reasons["spelling"] = [f"{a}→{b}" for a, b in ctx.corrections]
        if factor != 1.0:
            reasons["factor"] = factor
        reasons = {"contributions": reasons.pop("contributions"), **reasons}
        return Result(c.id, c.kind, round(score, 2), reasons)

    def _terms_of(self, i: int) -> set[str]:
        lo, hi = self.x.indptr[i], self.x.indptr[i + 1]
        return set(self.terms[self.x.indices[lo:hi]])
