"""Near-duplicate regulatory needs (規制緩和ニーズ): one-vs-all while typing, all pairs, groups."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .analyzer import Analysis, Analyzer
from .evidence import Side, shared_evidence
from .index import CorpusStats, Index
from .schema import Candidate, PairReasons, Query, Result

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NeedWeights:
    """Weights of the duplicate score: text similarity, rapidfuzz token-set ratio, tag overlap and
    the same law named (``law`` counts only when both needs name a law).

    The text similarity of a need in English and one in Japanese is the larger of the cosine over
    all terms and the cosine over the English terms alone (English words, and the JMdict glosses of
    Japanese words): they meet there. Two needs in one language keep the plain cosine. The same law and the same topic tags weigh
    little (0.10, 0.05): needs under one law often ask for different things, and what tells them
    apart, the obstacle and the relief asked, is in the text: when both needs have sentences that
    ask for something, the English terms of those sentences are compared too (``relief``); the
    other sentences (``obstacle``) are compared by the text cosine (a separate weight for them,
    0.1-0.2, did not help on the development sets, so it is 0 by default).

    ``block_max_df`` drops terms found in more than that share of needs from the all-pairs
    blocking step (never from the score); ``block_min`` is the blocking cosine floor and
    ``block_top_k`` how many blocked neighbours each need keeps.
    """

    text: float = 0.55
    fuzzy: float = 0.10
    tags: float = 0.05
    law: float = 0.10
    relief: float = 0.20  # the sentences that ask (「…を認めてほしい」, "Please …"), when both needs ask
    obstacle: float = 0.0  # the other sentences (what stands in the way): the text cosine covers them; 0.1-0.2 did not help
    block_max_df: float = 0.05
    block_min: float = 0.05
    block_top_k: int = 20
    rerank_depth: int = 100


@dataclass
class Pair:
    """Two needs and how similar they are (``score`` 0-100, ``reasons`` with the evidence)."""

    a: str
    b: str
    score: float
    reasons: PairReasons = field(default_factory=PairReasons)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"a": self.a, "b": self.b, "score": self.score, "reasons": self.reasons.to_dict()}


class NeedIndex:
    """An index of regulatory needs for duplicate detection."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._tag_sets: dict[int, set[str]] = {}
        # The English side of every need: its rows over the English terms, L2-normalised.
        self._english = np.array([t.isascii() for t in index.terms.tolist()], dtype=bool) if len(index.vocab) else \
            np.zeros(0, dtype=bool)
        self.x_en = _l2_rows(index.x[:, np.flatnonzero(self._english)]) if self._english.size else index.x
        # A need's language: English when most of its literal terms are (Latin words), else Japanese.
        self.english_text = np.array([_mostly_english(index.wakati[i]) for i in range(len(index))], dtype=bool)
        asks = getattr(index, "asks", None) or [None] * len(index)
        self.relief = _dict_rows([a[0] if a is not None else {} for a in asks])
        self.obstacle = _dict_rows([a[1] if a is not None else {} for a in asks])
        self._asks = asks

    def english_cosine(self, i: int, j: int) -> float:
        """Cosine of needs ``i`` and ``j`` over their English terms (words and glosses)."""
        return float(self.x_en[i].multiply(self.x_en[j]).sum())

    def _query_english(self, ctx) -> sp.csr_matrix:
        """A query's English terms as one L2-normalised row over the English columns."""
        cols = np.flatnonzero(self._english)
        pos = np.full(self._english.size, -1, dtype=np.int64)
        pos[cols] = np.arange(cols.size)
        keep = self._english[ctx.ids] if ctx.ids.size else np.zeros(0, dtype=bool)
        row = sp.csr_matrix((ctx.weights[keep], pos[ctx.ids[keep]], [0, int(keep.sum())]), shape=(1, cols.size))
        return _l2_rows(row)

    def tag_set(self, i: int) -> set[str]:
        """Terms of the tags of need ``i`` (analysed on first use and kept)."""
        got = self._tag_sets.get(i)
        if got is None:
            stored = self.index.tag_terms[i]
            got = set(stored) if stored is not None else self._tag_set(self.index, self.index.candidates[i].tags)
            self._tag_sets[i] = got
        return got

    @classmethod
    def build(cls, needs: Iterable[Candidate], analyzer: Analyzer | None = None,
              workers: int | None = None, *, analyses: Sequence[Analysis | dict[str, Any]] | None = None,
              corpus: CorpusStats | None = None) -> "NeedIndex":
        """Analyse and index needs (``Candidate`` objects with id, name, text, tags);
        ``analyses`` and ``corpus`` as for ``Index.build`` (stored analyses, not analysed again)."""
        return cls(Index.build(needs, analyzer=analyzer, workers=workers, analyses=analyses, corpus=corpus))

    @staticmethod
    def _tag_set(index: Index, tags: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for t in tags:
            out |= index.analyzer.analyze_tag(t)
        return out

    def __len__(self) -> int:
        return len(self.index)

    def _pair_score(self, ctx_terms: set[str], ctx_wakati: str, ctx_laws: set[str], ctx_tags: set[str],
                    j: int, cos: float, w: NeedWeights, explain: bool,
                    fuzzy: float | None = None, side: Side | None = None,
                    all_terms: set[str] | None = None, asks: Any = None) -> tuple[float, PairReasons | None]:
        ix = self.index
        if fuzzy is None:
            fuzzy = fuzz.token_set_ratio(ctx_wakati, ix.wakati[j], processor=None) / 100.0
        comp = {"text": cos, "fuzzy": fuzzy}
        other = self._asks[j]
        if asks is not None and other is not None:
            for k, name in ((0, "relief"), (1, "obstacle")):
                if asks[k] and other[k] and getattr(w, name) > 0:
                    comp[name] = _dict_cos(asks[k], other[k])
        other_tags = self.tag_set(j)
        if ctx_tags and other_tags:
            comp["tags"] = len(ctx_tags & other_tags) / len(ctx_tags | other_tags)
        laws_j = ix.laws[j]
        if ctx_laws and laws_j:
            comp["law"] = 1.0 if ctx_laws & laws_j else 0.0
        total = sum(getattr(w, k) for k in comp)
        contrib = {k: 100.0 * getattr(w, k) * v / total for k, v in comp.items()}
        score = sum(contrib.values())
        if not explain:
            return score, None
        keys = sorted((all_terms if all_terms is not None else ctx_terms) & ix._terms_of(j),
                      key=lambda t: (-ix.idf[ix.vocab[t]], t))
        if side is None:
            side = Side(" ".join(sorted(ctx_terms)), ctx_terms)
        shared, bridges = shared_evidence(ix.analyzer, keys, side, ix.side(j))
        return score, PairReasons(
            contributions={k: round(v, 2) for k, v in contrib.items()},
            components={k: round(v, 4) for k, v in comp.items()},
            shared_terms=shared,
            bridges=bridges,
            laws=sorted(ctx_laws & laws_j) if "law" in comp else [],
            laws_differ=sorted(ctx_laws ^ laws_j) if comp.get("law") == 0.0 else [],
            tags_shared=sorted(ctx_tags & other_tags),
        )

    def similar_to(self, text: str, tags: Sequence[str] = (), *, limit: int = 5, exclude: str | None = None,
                   weights: NeedWeights | None = None) -> list[Result]:
        """Needs most similar to a need being typed (``text`` and ``tags``), best first.

        ``exclude`` leaves out one id (the need itself when editing).
        """
        w = weights or NeedWeights()
        ix = self.index
        ctx = ix.prepare(Query(text=text, tags=list(tags)))
        pool, pool_cos = ix.candidate_pool(ctx, None, w.rerank_depth)
        keep = pool_cos > 0
        pool, pool_cos = pool[keep], pool_cos[keep]
        if pool.size:
            english = np.asarray((self.x_en[pool] @ self._query_english(ctx).T).todense()).ravel()
            cross = self.english_text[pool] != _mostly_english(ctx.wakati)
            pool_cos = np.where(cross, np.maximum(pool_cos, english), pool_cos)
        cos = dict(zip(pool.tolist(), pool_cos.tolist()))
        tags_set = self._tag_set(ix, tags)
        terms = set(ctx.analysis.primary)
        fuzzy = process.cdist([ctx.wakati], [ix.wakati[j] for j in pool.tolist()], scorer=fuzz.token_set_ratio,
                              processor=None, dtype=np.float64)[0] / 100.0 if pool.size else []
        scored = []
        for j, fz in zip(pool.tolist(), list(fuzzy)):
            cid = ix.candidates[j].id
            if cid == exclude:
                continue
            s, _ = self._pair_score(terms, ctx.wakati, ctx.analysis.laws, tags_set, j, float(cos[j]), w, False,
                                    float(fz), asks=ctx.analysis.asks)
            scored.append((-round(s, 6), cid, j))
        scored.sort()
        out = []
        for _, cid, j in scored[:limit]:
            s, reasons = self._pair_score(terms, ctx.wakati, ctx.analysis.laws, tags_set, j, float(cos[j]), w, True,
                                          side=ix.query_side(ctx), all_terms=set(ctx.analysis.terms),
                                          asks=ctx.analysis.asks)
            out.append(Result(cid, ix.candidates[j].kind, round(s, 2), reasons))
        return out

    def pair(self, a: str, b: str, weights: NeedWeights | None = None) -> Pair:
        """Score one pair of indexed needs with all evidence (the reference for ``all_pairs``)."""
        ix = self.index
        i, j = ix.position[a], ix.position[b]
        cos = float(ix.x[i].multiply(ix.x[j]).sum())
        if self.english_text[i] != self.english_text[j]:
            cos = max(cos, self.english_cosine(i, j))
        s, reasons = self._pair_score(ix.primary_terms(i), ix.wakati[i], ix.laws[i], self.tag_set(i), j, cos,
                                      weights or NeedWeights(), True, side=ix.side(i), all_terms=ix._terms_of(i),
                                      asks=self._asks[i])
        a, b = sorted((a, b))
        return Pair(a, b, round(s, 2), reasons)

    def candidate_pairs(self, weights: NeedWeights | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Blocking: pairs (i < j) among each need's ``block_top_k`` best neighbours by the cosine
        over rarer terms plus that over rarer English terms (at least ``block_min``), with their
        text similarity (the larger of the exact cosine and the English cosine)."""
        w = weights or NeedWeights()
        ix = self.index
        x = ix.x
        n = x.shape[0]
        empty = np.zeros(0, dtype=np.int64)
        if n < 2:
            return empty, empty, np.zeros(0)
        rare = ix.df <= max(50, w.block_max_df * n)  # small sets: no pruning at all
        xb = x[:, np.flatnonzero(rare)] if not rare.all() else x
        # Blocked on both the terms and the English terms (needs in two languages meet there).
        rare_en = rare[self._english]
        xe = self.x_en[:, np.flatnonzero(rare_en)] if not rare_en.all() else self.x_en
        c = (xb @ xb.T + xe @ xe.T).tocsr()
        keys: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        for i in range(n):
            lo, hi = c.indptr[i], c.indptr[i + 1]
            cols, data = c.indices[lo:hi], c.data[lo:hi]
            sel = (data >= w.block_min) & (cols != i)
            cols, data = cols[sel], data[sel]
            if cols.size > w.block_top_k:
                top = np.argpartition(-data, w.block_top_k - 1)[:w.block_top_k]
                cols, data = cols[top], data[top]
            a, b = np.minimum(i, cols), np.maximum(i, cols)
            keys.append(a.astype(np.int64) * n + b)
            vals.append(data)
        if not keys:
            return empty, empty, np.zeros(0)
        key = np.unique(np.concatenate(keys))
        rows, cols = key // n, key % n
        cos = np.empty(rows.size)
        english = np.empty(rows.size)
        for lo in range(0, rows.size, 20_000):  # exact cosines, in chunks
            r, q = rows[lo:lo + 20_000], cols[lo:lo + 20_000]
            cos[lo:lo + 20_000] = np.asarray(x[r].multiply(x[q]).sum(axis=1)).ravel()
            english[lo:lo + 20_000] = np.asarray(self.x_en[r].multiply(self.x_en[q]).sum(axis=1)).ravel()
        return rows, cols, np.where(self.english_text[rows] != self.english_text[cols], np.maximum(cos, english), cos)

    def _set_matrix(self, sets: list[set[str] | frozenset[str]]) -> sp.csr_matrix:
        vocab: dict[str, int] = {}
        indptr, indices = [0], []
        for st in sets:
            indices.extend(vocab.setdefault(t, len(vocab)) for t in st)
            indptr.append(len(indices))
        data = np.ones(len(indices))
        return sp.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                             shape=(len(sets), max(1, len(vocab))))

    def all_pairs(self, threshold: float = 33.0, weights: NeedWeights | None = None) -> list[Pair]:
        """All pairs of needs scoring at least ``threshold`` (0-100), best first, with evidence.

        The components are computed for all blocked pairs at once; rapidfuzz runs only on pairs
        that could still reach the threshold.
        """
        w = weights or NeedWeights()
        ix = self.index
        n = len(ix)
        rows, cols, cos = self.candidate_pairs(w)
        if rows.size == 0:
            return []
        tags = self._set_matrix([self.tag_set(i) for i in range(n)])
        laws = self._set_matrix([ix.laws[i] for i in range(n)])

        def rowwise(m: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            size = np.asarray(m.sum(axis=1)).ravel()
            inter = np.asarray(m[rows].multiply(m[cols]).sum(axis=1)).ravel()
            return inter, size[rows], size[cols]

        t_inter, t_a, t_b = rowwise(tags)
        l_inter, l_a, l_b = rowwise(laws)
        has_tags = (t_a > 0) & (t_b > 0)
        has_law = (l_a > 0) & (l_b > 0)
        tag_val = np.where(has_tags, t_inter / np.maximum(t_a + t_b - t_inter, 1), 0.0)
        law_val = (l_inter > 0).astype(np.float64)
        total = w.text + w.fuzzy + np.where(has_tags, w.tags, 0.0) + np.where(has_law, w.law, 0.0)
        base = w.text * cos + np.where(has_tags, w.tags * tag_val, 0.0) + np.where(has_law, w.law * law_val, 0.0)
        for m, weight in ((self.relief, w.relief), (self.obstacle, w.obstacle)):
            if weight <= 0:
                continue
            present = np.asarray(m.getnnz(axis=1) > 0)
            both = present[rows] & present[cols]
            val = np.asarray(m[rows].multiply(m[cols]).sum(axis=1)).ravel()
            total = total + np.where(both, weight, 0.0)
            base = base + np.where(both, weight * val, 0.0)
        upper = 100.0 * (base + w.fuzzy) / total
        live = np.flatnonzero(upper >= threshold)
        fuzzy = np.zeros(rows.size)
        if live.size:
            fuzzy[live] = process.cpdist([ix.wakati[i] for i in rows[live].tolist()],
                                         [ix.wakati[j] for j in cols[live].tolist()],
                                         scorer=fuzz.token_set_ratio, processor=None, dtype=np.float64,
                                         workers=-1) / 100.0
        score = 100.0 * (base + w.fuzzy * fuzzy) / total
        out = []
        for k in np.flatnonzero(score >= threshold).tolist():
            i, j = int(rows[k]), int(cols[k])
            s, reasons = self._pair_score(ix.primary_terms(i), ix.wakati[i], ix.laws[i], self.tag_set(i), j,
                                          float(cos[k]), w, True, float(fuzzy[k]), side=ix.side(i),
                                          all_terms=ix._terms_of(i), asks=self._asks[i])
            a, b = sorted((ix.candidates[i].id, ix.candidates[j].id))
            out.append(Pair(a, b, round(s, 2), reasons))
        out.sort(key=lambda p: (-p.score, p.a, p.b))
        return out


def _mostly_english(wakati: str) -> bool:
    """Whether most literal terms of a text (its space-joined primary terms) are Latin words."""
    terms = wakati.split()
    return bool(terms) and sum(t.isascii() for t in terms) * 2 > len(terms)


def _dict_cos(u: dict[str, float], v: dict[str, float]) -> float:
    """Cosine of two sparse vectors given as dicts."""
    nu = sum(x * x for x in u.values()) ** 0.5
    nv = sum(x * x for x in v.values()) ** 0.5
    if not nu or not nv:
        return 0.0
    if len(u) > len(v):
        u, v = v, u
    return sum(x * v.get(t, 0.0) for t, x in u.items()) / (nu * nv)


def _dict_rows(rows: list[dict[str, float]]) -> sp.csr_matrix:
    """Dicts (term -> weight) as L2-normalised rows of one sparse matrix."""
    vocab: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for r in rows:
        for t, x in r.items():
            indices.append(vocab.setdefault(t, len(vocab)))
            data.append(x)
        indptr.append(len(indices))
    m = sp.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                      shape=(len(rows), max(1, len(vocab))))
    return _l2_rows(m)


def _l2_rows(m: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty)."""
    m = sp.csr_matrix(m, dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return (sp.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ m).tocsr()


def similar_items(items: Iterable[Candidate], threshold: float = 33.0,
                  weights: NeedWeights | None = None) -> list[Pair]:
    """All near-duplicate pairs among ``items`` at or above ``threshold`` (0-100), best first."""
    return NeedIndex.build(items).all_pairs(threshold, weights)


def group_pairs(pairs: Iterable[Pair | tuple[str, str]]) -> list[dict[str, Any]]:
    """Group pairs into connected components (union-find), with each group's pairwise evidence.

    Each group: ``{"members": [...sorted ids], "representative": id with most links (then
    smallest id), "pairs": [pair dicts]}``; groups sorted by size (desc) then first member.
    Components can chain (A~B, B~C, A!~C): the pairs show which links hold.
    """
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    plist = [p if isinstance(p, Pair) else Pair(p[0], p[1], 0.0) for p in pairs]
    for p in plist:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, dict[str, Any]] = {}
    degree: dict[str, int] = {}
    for p in plist:
        g = groups.setdefault(find(p.a), {"members": set(), "pairs": []})
        g["members"] |= {p.a, p.b}
        g["pairs"].append(p.to_dict())
        degree[p.a] = degree.get(p.a, 0) + 1
        degree[p.b] = degree.get(p.b, 0) + 1
    out = []
    for g in groups.values():
        members = sorted(g["members"])
        rep = min(members, key=lambda m: (-degree[m], m))
        out.append({"members": members, "representative": rep, "pairs": g["pairs"]})
    out.sort(key=lambda g: (-len(g["members"]), g["members"][0]))
    return out
