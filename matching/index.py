"""Ranking and explaining: a query's cosine over the posting lists, hard filters, the other
score components, and the reasons of each result (the index itself is built in ``store.py``)."""
from __future__ import annotations

import logging
import math
import weakref
from typing import Iterable, Sequence

import numpy as np
from rapidfuzz import fuzz, process

from .constraints import geo_components, haversine_km
from .evidence import Side, shared_evidence
from .normalize import nfkc_lower
from .places import default_gazetteer
from .schema import Query, Reasons, Result
from .settings import default_settings
from .scoring import Filters, QueryContext, Weights, term_weight
from .store import CorpusStats, IndexData

logger = logging.getLogger(__name__)

__all__ = ["CorpusStats", "Index", "load_tables"]

_PLACE_TERMS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def place_terms(analyzer) -> frozenset[str]:
    """The terms of Hokkaido's place names (the gazetteer's) as ``analyzer`` analyses them: once per
    analyser, not once per index (an index built per query, from stored analyses, analysed some
    600 names each time)."""
    terms = _PLACE_TERMS.get(analyzer)
    if terms is None:
        found: set[str] = set()
        for p in default_gazetteer().places.values():
            for name in {p.name, p.name[:-1] if p.kind in ("city", "town", "village") else p.name, p.romaji}:
                found |= {t for t in analyzer.analyze(name).primary if len(t) > 1}
        terms = _PLACE_TERMS[analyzer] = frozenset(found)
    return terms

def load_tables(analyzer) -> None:
    """Load, once per process, the tables ranking reads besides the analyser: the gazetteer (and
    its patterns), the setting table and the place names' terms under ``analyzer``. An index built
    per query loads them at its first use otherwise (about 90 ms); a server that forks its workers
    calls this first, so that they share them."""
    default_gazetteer()
    default_settings()
    place_terms(analyzer)


# Choosing candidates reads the postings of the query's rarest terms up to this many entries;
# the frequent terms still count in the exact score of the candidates chosen.
POSTINGS_BUDGET = 300_000
# An area-bound organisation reaches a circle when one municipality of its area has its office at
# most this far outside it (offices are points; the municipalities around them are not).
AREA_MARGIN_KM = 10.0


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


class Index(IndexData):
    """An index over candidates (sites, organisations, or needs) for fast explained ranking.

    Build it with ``Index.build(candidates)`` (see ``IndexData``); it is read-only afterwards and
    safe to share between threads.
    """

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
        ctx = QueryContext(query, a, ids, w, tag_terms, " ".join(sorted(a.primary)), corrections)
        ctx.settings = default_settings().groups(" ".join([query.text, *query.tags]))
        return ctx

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
        query_area = self._area_filters(query, allowed, dist, site)
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
        return Filters(allowed, dist, overlap, full, query_area or None)

    def _area_filters(self, query: Query, allowed: np.ndarray, dist: np.ndarray | None,
                      site: np.ndarray) -> list[str]:
        """Drop (in ``allowed``) the area-bound candidates that cannot work where the query is:
        outside the circle (a municipality of their area within the radius + ``AREA_MARGIN_KM``; a
        service radius reaching into the circle), or outside the area the query names (十勝管内,
        "Hiyama area"; without a point any place it names). Without a point, sites outside the
        named area go too (sites of unknown municipality stay)."""
        gaz = default_gazetteer()
        has_point = query.lat is not None and query.lon is not None
        n = len(self.candidates)
        bound = np.zeros(n, dtype=bool)
        bound[self.area_owner] = True
        radius_bound = ~np.isnan(self.service_radius)
        if dist is not None and query.radius_km is not None:
            if self.area_owner.size:
                d = haversine_km(query.lat, query.lon, self.area_lat, self.area_lon)
                nearest = np.full(n, np.inf)
                np.minimum.at(nearest, self.area_owner, d)
                allowed &= ~(bound & (nearest > query.radius_km + AREA_MARGIN_KM))
            with np.errstate(invalid="ignore"):
                allowed &= ~(radius_bound & (dist - self.service_radius > query.radius_km))
        words, area = gaz.named_area(query.text, explicit_only=has_point)
        if not area:
            return []
        mask = np.zeros(len(self.municipality_numbers), dtype=bool)
        mask[[self.municipality_numbers[m] for m in area]] = True
        if self.area_owner.size:
            hit = np.zeros(n, dtype=bool)
            hit[self.area_owner[mask[self.area_code]]] = True
            allowed &= ~(bound & ~hit)
        if radius_bound.any():
            pts = gaz.points(area)
            reach = np.full(n, np.inf)
            for lat, lon in pts:
                reach = np.fmin(reach, haversine_km(lat, lon, self.lat, self.lon, self._trig))
            allowed &= ~(radius_bound & (reach > self.service_radius + AREA_MARGIN_KM))
        if not has_point:
            known = self.site_municipality >= 0
            inside = np.zeros(n, dtype=bool)
            inside[known] = mask[self.site_municipality[known]]
            allowed &= ~(site & known & ~inside)
        return words

    def _fuzzy(self, ctx: QueryContext, idx: np.ndarray) -> np.ndarray:
        """rapidfuzz ``token_set_ratio`` of the query's terms with those of candidates ``idx`` (0-1)."""
        if not idx.size:
            return np.zeros(0)
        return process.cdist([ctx.wakati], [self.wakati[i] for i in idx.tolist()], scorer=fuzz.token_set_ratio,
                             processor=None, dtype=np.float64)[0] / 100.0

    def _components(self, ctx: QueryContext, idx: np.ndarray, cos: np.ndarray, f: "Filters", w: Weights,
                    fuzzy: np.ndarray | None = None) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """Component arrays (NaN = absent) for candidates ``idx``, the factor, the score and which
        are weak matches (``fuzzy`` given: those values instead of computing the fuzzy component)."""
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
        if ctx.settings:
            comp["setting"] = np.fromiter((len(ctx.settings & self.settings_of(i)) / len(ctx.settings) for i in idx.tolist()),
                                          dtype=np.float64, count=m)
        if q.support:
            wanted = frozenset(q.support)
            comp["support"] = np.fromiter((len(wanted & self.support[i]) / len(wanted) for i in idx.tolist()),
                                          dtype=np.float64, count=m)
        factor = np.ones(m)
        if f.overlap is not None and q.period is not None:
            days = (q.period[1] - q.period[0]).days + 1
            comp["period"] = f.overlap[idx] / days
            factor = np.where(f.full[idx], 1.0, w.partial_period_factor)
        asked = ctx.analysis.primary
        excludes = np.fromiter((bool(self.excluded[i] & asked) for i in idx.tolist()), dtype=bool, count=m)
        factor = np.where(excludes, factor * w.exclusion_factor, factor)
        if ctx.settings:
            table = default_settings()
            clash = np.fromiter((bool(table.contradictions(ctx.settings, self.settings_of(i))) for i in idx.tolist()),
                                dtype=bool, count=m)
            factor = np.where(clash, factor * w.setting_factor, factor)
        weak = self._weak(ctx, idx, cos, w)
        factor = np.where(weak, factor * w.weak_factor, factor)
        return comp, factor, _score(comp, factor, w), weak

    def _weak(self, ctx: QueryContext, idx: np.ndarray, cos: np.ndarray, w: Weights) -> np.ndarray:
        """Which of candidates ``idx`` are weak matches: a query with a point, a period or support
        wanted, and a text cosine without the place names of both texts (札幌市, Tokachi) below
        ``w.relevance_floor``. Such a candidate would be listed on distance, period or support
        alone; it is ranked after every real match, its score multiplied by ``w.weak_factor``."""
        q = ctx.query
        if w.relevance_floor <= 0 or not (q.lat is not None and q.lon is not None or q.period or q.support):
            return np.zeros(idx.size, dtype=bool)
        return self._topical(ctx, idx, cos) < w.relevance_floor

    def _topical(self, ctx: QueryContext, idx: np.ndarray, cos: np.ndarray) -> np.ndarray:
        """The text cosine of candidates ``idx`` without the query's place-name terms."""
        if ctx.place_ids is None:
            places = self.place_term_ids()
            keep = np.isin(ctx.ids, places)
            ctx.place_ids, ctx.place_weights = ctx.ids[keep], ctx.weights[keep]
        if not ctx.place_ids.size or not idx.size:
            return cos
        q = np.zeros(self.x.shape[1])
        q[ctx.place_ids] = ctx.place_weights
        return cos - np.asarray(self.x[idx] @ q).ravel()

    def place_term_ids(self) -> np.ndarray:
        """Ids of the terms that are Hokkaido place names (from the gazetteer; computed once)."""
        if self._place_ids is None:
            terms = place_terms(self.analyzer)
            self._place_ids = np.array(sorted(self.vocab[t] for t in terms if t in self.vocab), dtype=np.int64)
        return self._place_ids

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
        comp, factor, score, weak = self._components(ctx, np.array([i]), np.array([self.text_score_one(ctx, i)]), f, w)
        return self._explained(ctx, i, {k: float(v[0]) for k, v in comp.items()}, float(factor[0]),
                               float(score[0]), f, w, bool(weak[0]))

    def rank(self, query: Query, *, limit: int = 10, kinds: Sequence[str] | None = None,
             weights: Weights | None = None, min_score: float = 0, among: Iterable[str] | None = None,
             excluding: Iterable[str] = ()) -> list[Result]:
        """The ``limit`` best candidates for ``query`` scoring at least ``min_score``, best first
        (ties: id ascending).

        ``kinds`` overrides ``query.kinds``; ``among`` ranks only those candidate ids (unknown ids
        are ignored): each keeps the score it has in a ranking of the whole index; ``excluding``
        leaves those candidate ids out (e.g. the asking organisation) in the same way. Sites outside
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
        left_out = [self.position[c] for c in excluding if c in self.position]
        if left_out:
            f.allowed[left_out] = False
        pool, cos = self.candidate_pool(ctx, f.allowed, w.rerank_depth)
        # The fuzzy component (weight 0.05, the costliest) only for the candidates it could bring into
        # the top: scored first without it, a candidate whose score with a perfect fuzzy match stays
        # below the ``top``-th best score without it cannot be shown. Results are exactly the same.
        comp, factor, score, weak = self._components(ctx, pool, cos, f, w, fuzzy=np.zeros(pool.size))
        need = np.ones(pool.size, dtype=bool)
        if pool.size > top:
            total_w = _total_weight(comp, w)
            best_possible = score + 100.0 * factor * w.fuzzy / np.where(total_w > 0, total_w, 1.0)
            # Real matches first, then weak ones: the slots left to each group decide its threshold.
            need[:] = False
            left = top
            for group in (~weak, weak):
                k = int(group.sum())
                if left <= 0 or k == 0:
                    continue
                if k <= left:
                    need |= group
                else:
                    threshold = np.partition(score[group], k - left)[k - left]
                    need |= group & (best_possible >= threshold - 1e-6)
                left -= min(k, left)
        comp["fuzzy"][need] = self._fuzzy(ctx, pool[need])
        score = _score(comp, factor, w)
        order = np.lexsort((self.id_rank[pool], -np.round(score, 6), weak))[:top]
        if min_score > 0:
            order = order[score[order] >= min_score]
        return [self._explained(ctx, int(pool[j]), {k: float(v[j]) for k, v in comp.items()},
                                float(factor[j]), float(score[j]), f, w, bool(weak[j])) for j in order.tolist()]

    def _explained(self, ctx: QueryContext, i: int, comp_row: dict[str, float], factor: float, score: float,
                   f: "Filters", w: Weights, weak: bool = False) -> Result:
        """The result for candidate ``i`` with its reasons, from its component values."""
        c = self.candidates[i]
        q = ctx.query
        comp = {k: v for k, v in comp_row.items() if not math.isnan(v)}
        total_w = sum(getattr(w, k) for k in comp) or 1.0
        contrib = {k: 100.0 * factor * getattr(w, k) * v / total_w for k, v in comp.items()}
        r = Reasons(contributions={k: round(v, 2) for k, v in contrib.items()})
        terms = self._terms_of(i)
        if ctx.tag_terms:
            r.tags_matched = [t for t, ts in ctx.tag_terms if ts & terms]
            r.tags_missing = [t for t, ts in ctx.tag_terms if not ts & terms]
        if "geo" in comp:
            d = float(f.dist[i])
            r.distance_km = round(d, 1)
            if q.radius_km is not None:
                r.within_radius = d <= q.radius_km
            if self.wide_area[i] and c.kind != "site":
                r.wide_area = True
        if "support" in comp:
            r.support_matched = sorted(set(q.support) & self.support[i])
            r.support_missing = sorted(set(q.support) - self.support[i])
        if "period" in comp:
            days = (q.period[1] - q.period[0]).days + 1
            r.period_overlap_days = int(f.overlap[i])
            r.period_days = days
            r.period_fully_covered = bool(f.full[i])
            if factor != 1.0:
                r.downgraded = f"available for only {int(f.overlap[i])} of {days} days of the period"
                r.factor = factor
        if ctx.term_mask is None:  # the query's terms as a mask over the vocabulary, once per query
            ctx.term_mask = np.zeros(len(self.vocab), dtype=bool)
            ctx.term_mask[ctx.ids] = True
        row = self.x.indices[self.x.indptr[i]:self.x.indptr[i + 1]]
        common = row[ctx.term_mask[row]]  # sorted, as the row is
        ranked = self.terms[common[np.argsort(-self.idf[common], kind="stable")]].tolist()
        r.matched_terms, r.bridges = shared_evidence(self.analyzer, ranked, self.query_side(ctx), self.side(i),
                                                     corrected=[b for _, b in ctx.corrections])
        r.components = {k: round(v, 4) for k, v in comp.items()}
        r.weights = {k: round(getattr(w, k) / total_w, 4) for k in comp}
        r.synonyms_used = sorted({f"{a}→{b}" for a, b in [*ctx.analysis.synonyms, *self.synonyms[i]]
                                  if b in ranked or nfkc_lower(b) in ranked})[:12]
        if ctx.corrections:
            r.spelling = [f"{a}→{b}" for a, b in ctx.corrections]
        excluded = self.excluded[i] & ctx.analysis.primary
        if excluded:
            side = self.side(i)
            r.excludes = list(dict.fromkeys((side.display(t) or (t,))[0] for t in sorted(excluded)))
            r.factor = factor
        if ctx.settings:
            r.settings_matched = sorted(ctx.settings & self.settings_of(i))
            conflicts = default_settings().contradictions(ctx.settings, self.settings_of(i))
            if conflicts:
                r.setting_conflicts = conflicts
                r.factor = factor
        if weak:
            r.weak = (f"little text relevance (text {comp.get('text', 0.0):.2f} without place names, below "
                      f"{w.relevance_floor:.2f}): listed on distance, period or support alone")
            r.factor = factor
        if i in self.service_area:
            r.service_area = sorted(self.service_area[i])[:12]
        if f.query_area:
            r.query_area = f.query_area
        return Result(c.id, c.kind, round(score, 2), r)

    @staticmethod
    def query_side(ctx: QueryContext) -> Side:
        """The query as one side of an explanation (text and tags), made once per query."""
        if ctx.side is None:
            q = ctx.query
            a = ctx.analysis
            ctx.side = Side(" ".join([q.text, *q.tags]), a.primary, a.surfaces, a.synonyms)
        return ctx.side

