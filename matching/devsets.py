"""Development sets on disk (the format of ``match-dev-hard``: candidates.jsonl, queries.jsonl,
qrels.tsv with graded relevance 0-2) and the two ranking figures the learning report shows.

The benchmark (``bench/matching_bench.py``) reads the same files; this is the part an application
needs to check learned weights against labelled data it did not learn from.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import Index
from .schema import Candidate, Query
from .scoring import Weights

__all__ = ["DevSet", "ranking_metrics", "read_dev_set"]


@dataclass
class DevSet:
    """A development set: candidates, queries (JSON objects) and graded judgements per query."""

    name: str
    candidates: list[dict[str, Any]]
    queries: list[dict[str, Any]]
    qrels: dict[str, dict[str, int]]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_dev_set(folder: str | Path) -> DevSet:
    """Read a development set folder (FileNotFoundError when a file is missing)."""
    folder = Path(folder)
    qrels: dict[str, dict[str, int]] = {}
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip():
            q, c, g = line.split("\t")
            qrels.setdefault(q, {})[c] = int(g)
    return DevSet(folder.name, _jsonl(folder / "candidates.jsonl"), _jsonl(folder / "queries.jsonl"), qrels)


def ranking_metrics(dev: DevSet, weights: Weights | None = None, index: Index | None = None) -> dict[str, float]:
    """recall@5 (of the grade-2 candidates) and MRR (first candidate of grade >= 1 within 10), per
    (query, kind), averaged: the benchmark's definitions. Pass ``index`` to reuse one built before."""
    index = index or Index.build([Candidate.from_dict(c) for c in dev.candidates])
    kinds = {c["id"]: c.get("kind") or "site" for c in dev.candidates}
    rec, mrr = [], []
    for q in dev.queries:
        query = Query.from_dict(q)
        for kind in q.get("kinds") or ["site", "organisation"]:
            got = [r.id for r in index.rank(query, limit=10, kinds=[kind], weights=weights)]
            rel = {c: g for c, g in dev.qrels.get(q["id"], {}).items() if kinds.get(c) == kind}
            best = [c for c, g in rel.items() if g == 2]
            if best:
                rec.append(len([c for c in got[:5] if c in best]) / len(best))
            mrr.append(next((1 / (i + 1) for i, c in enumerate(got) if rel.get(c, 0) >= 1), 0.0))
    return {"recall@5": statistics.mean(rec) if rec else 0.0, "MRR": statistics.mean(mrr) if mrr else 0.0}
