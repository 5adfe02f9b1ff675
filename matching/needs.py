"""Near-duplicate regulatory needs (規制緩和ニーズ): one-vs-all while typing, all pairs, groups."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from rapidfuzz import fuzz, process

from .analyzer import Analyzer
from .index import Index
from .schema import Candidate, Query, Result

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NeedWeights:
    """Weights of the duplicate score: text cosine, rapidfuzz token-set ratio, tag overlap and
    the same law named (``law`` counts only when both needs name a law).

    ``block_max_df`` drops terms found in more than that share of needs from the all-pairs
    blocking step (never from the score); ``block_min`` is the blocking cosine floor.
    """

    text: float = 0.55
    fuzzy: float = 0.10
    tags: float = 0.15
    law: float = 0.20
    block_max_df: float = 0.05
    block_min: float = 0.05
    rerank_depth: int = 100


@dataclass
class Pair:
    """Two needs and how similar they are (``score`` 0-100, ``reasons`` with the evidence)."""

    a: str
    b: str
    score: float
    reasons: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"a": self.a, "b": self.b, "score": self.score, "reasons": self.reasons}


class NeedIndex:
    """An index of regulatory needs for duplicate detection."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._tag_sets: dict[int, set[str]] = {}

    def tag_set(self, i: int) -> set[str]:
        """Terms of the tags of need ``i`` (analysed on first use and kept)."""
        got = self._tag_sets.get(i)
        if got is None:
            got = self._tag_sets[i] = self._tag_set(self.index, self.index.candidates[i].tags)
        return got

    @classmethod
    def build(cls, needs: Iterable[Candidate | dict[str, Any]], analyzer: Analyzer | None = None,
              workers: int = 1) -> "NeedIndex":
        """Analyse and index needs (Candidate objects or dicts with id, name, text, tags)."""
        return cls(Index.build(needs, analyzer=analyzer, workers=workers))

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
                    fuzzy: float | None = None) -> tuple[float, dict[str, Any]]:
        ix = self.index
        if fuzzy is None:
            fuzzy = fuzz.token_set_ratio(ctx_wakati, ix.wakati[j], processor=None) / 100.0
        comp = {"text": cos, "fuzzy": fuzzy}
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
            return score, {}
        shared = sorted(ctx_terms & ix.primary_terms(j), key=lambda t: (-ix.idf[ix.vocab[t]], t))
        return score, {
            "contributions": {k: round(v, 2) for k, v in contrib.items()},
            "components": {k: round(v, 4) for k, v in comp.items()},
            "shared_terms": shared[:12],
            "laws": sorted(ctx_laws & laws_j) if "law" in comp else [],
            "laws_differ": sorted(ctx_laws ^ laws_j) if comp.get("law") == 0.0 else [],
            "tags_shared": sorted(ctx_tags & other_tags),
        }

    def similar_to(self, text: str, tags: Sequence[str] = (), top: int = 5, exclude: str | None = None,
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
                                    float(fz))
            scored.append((-round(s, 6), cid, j))
        scored.sort()
        out = []
        for _, cid, j in scored[:top]:
            s, reasons = self._pair_score(terms, ctx.wakati, ctx.analysis.laws, tags_set, j, float(cos[j]), w, True)
            out.append(Result(cid, ix.candidates[j].kind, round(s, 2), reasons))
        return out

    def pair(self, a: str, b: str, weights: NeedWeights | None = None) -> Pair:
        """Score one pair of indexed needs with all evidence (the reference for ``all_pairs``)."""
        ix = self.index
        i, j = ix.position[a], ix.position[b]
        cos = float(ix.x[i].multiply(ix.x[j]).sum())
        s, reasons = self._pair_score(ix.primary_terms(i), ix.wakati[i], ix.laws[i], self.tag_set(i), j, cos,
                                      weights or NeedWeights(), True)
        a, b = sorted((a, b))
        return Pair(a, b, round(s, 2), reasons)

    def candidate_pairs(self, weights: NeedWeights | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Blocking: pairs (i < j) that share rare terms, with their exact text cosine."""
        w = weights or NeedWeights()
        x = self.index.x
        n = x.shape[0]
        if n < 2:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        df = np.diff(self.index.postings.indptr)
        keep = df <= max(50, w.block_max_df * n)  # small sets: no pruning at all
        xb = x[:, np.flatnonzero(keep)] if not keep.all() else x
        c = sp.triu(xb @ xb.T, k=1).tocoo()
        sel = c.data >= w.block_min
        rows, cols = c.row[sel].astype(np.int64), c.col[sel].astype(np.int64)
        cos = np.asarray(x[rows].multiply(x[cols]).sum(axis=1)).ravel() if rows.size else np.zeros(0)
        return rows, cols, cos

    def all_pairs(self, threshold: float = 40.0, weights: NeedWeights | None = None) -> list[Pair]:
        """All pairs of needs scoring at least ``threshold`` (0-100), best first, with evidence."""
        w = weights or NeedWeights()
        ix = self.index
        rows, cols, cos = self.candidate_pairs(w)
        out = []
        for i, j, c in zip(rows.tolist(), cols.tolist(), cos.tolist()):
            s, _ = self._pair_score(ix.primary_terms(i), ix.wakati[i], ix.laws[i], self.tag_set(i), j, c, w, False)
            if s >= threshold:
                _, reasons = self._pair_score(ix.primary_terms(i), ix.wakati[i], ix.laws[i], self.tag_set(i), j, c, w, True)
                a, b = sorted((ix.candidates[i].id, ix.candidates[j].id))
                out.append(Pair(a, b, round(s, 2), reasons))
        out.sort(key=lambda p: (-p.score, p.a, p.b))
        return out


def similar_items(items: Iterable[Candidate | dict[str, Any]], threshold: float = 40.0,
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

    plist = [p if isinstance(p, Pair) else Pair(p[0], p[1], 0.0, {}) for p in pairs]
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
