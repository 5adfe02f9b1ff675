"""Development sets on disk (the format of ``match-dev-hard``: candidates.jsonl, queries.jsonl,
qrels.tsv with graded relevance 0-2) and the ranking figures (recall@5, MRR, nDCG@10) that the
benchmark (``bench/matching_bench.py``) and the learning report compute with it.
"""
from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .index import Index
from .schema import Candidate, Query
from .scoring import Weights

__all__ = ["DevSet", "judge", "ranking_metrics", "read_dev_set", "read_jsonl"]


@dataclass
class DevSet:
    """A development set: candidates, queries (JSON objects) and graded judgements per query."""

    name: str
    candidates: list[dict[str, Any]]
    queries: list[dict[str, Any]]
    qrels: dict[str, dict[str, int]]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_dev_set(folder: str | Path) -> DevSet:
    """Read a development set folder (FileNotFoundError when a file is missing)."""
    folder = Path(folder)
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q, c, g = line.split("\t")
            qrels.setdefault(q, {})[c] = int(g)
    return DevSet(folder.name, read_jsonl(folder / "candidates.jsonl"), read_jsonl(folder / "queries.jsonl"), qrels)


def judge(ranker: Callable[[dict, str], list[str]], dev: DevSet) -> dict[str, float]:
    """recall@5 (of the grade-2 candidates), MRR (first candidate of grade >= 1 within 10) and nDCG@10
    (gain 2^g - 1) of ``ranker(query dict, kind)``, per (query, kind), averaged."""
    kinds = {c["id"]: c.get("kind") or "site" for c in dev.candidates}
    rec, mrr, ndcg = [], [], []
    for q in dev.queries:
        for kind in q.get("kinds") or ["site", "organisation"]:
            got = ranker(q, kind)[:10]
            rel = {c: g for c, g in dev.qrels.get(q["id"], {}).items() if kinds.get(c) == kind}
            best = [c for c, g in rel.items() if g == 2]
            if best:
                rec.append(len([c for c in got[:5] if c in best]) / len(best))
            mrr.append(next((1 / (i + 1) for i, c in enumerate(got) if rel.get(c, 0) >= 1), 0.0))
            dcg = sum((2 ** rel.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(got))
            ideal = sorted(rel.values(), reverse=True)[:10]
            idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
            ndcg.append(dcg / idcg if idcg else 0.0)
    return {"recall@5": statistics.mean(rec) if rec else 0.0, "MRR": statistics.mean(mrr) if mrr else 0.0,
            "nDCG@10": statistics.mean(ndcg) if ndcg else 0.0}


def ranking_metrics(dev: DevSet, weights: Weights | None = None, index: Index | None = None) -> dict[str, float]:
    """`judge` of the library's ranking with ``weights``. Pass ``index`` to reuse one built before."""
    index = index or Index.build([Candidate.from_dict(c) for c in dev.candidates])
    return judge(lambda q, kind: [r.id for r in index.rank(Query.from_dict(q), limit=10, kinds=[kind], weights=weights)],
                 dev)
