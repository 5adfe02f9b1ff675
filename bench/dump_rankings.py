"""Dump rankings, reasons and need pairs of the dev sets and a synthetic set as JSON, to byte-compare
two versions of the library (``python -m bench.dump_rankings OUT_DIR``)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench import synthetic
from matching import Candidate, Index, NeedIndex, Query

ROOT = Path(__file__).resolve().parent.parent
# ../shared/data from the main checkout, ../../shared/data from a worktree under wt/.
DATA = next((p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if p.is_dir()),
            ROOT.parent / "shared" / "data")


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _dump(cands: list[dict], queries: list[dict], needs: list[dict]) -> dict:
    index = Index.build([Candidate.from_dict(c) for c in cands])
    out: dict = {"rank": [], "similar": [], "pairs": []}
    for q in queries:
        query = Query.from_dict(q)
        for kind in ("site", "organisation"):
            out["rank"].append([r.to_dict() for r in index.rank(query, limit=10, kinds=[kind])])
    if needs:
        need_index = NeedIndex.build([Candidate.from_dict(n) for n in needs])
        out["pairs"] = [p.to_dict() for p in need_index.all_pairs(threshold=20)]
        for n in needs[:40]:
            out["similar"].append([r.to_dict() for r in need_index.similar_to(n.get("text", ""), n.get("tags", []),
                                                                              limit=5, exclude=n["id"])])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("match-dev", "match-dev-hard"):
        d = DATA / name
        data = _dump(_read(d / "candidates.jsonl"), _read(d / "queries.jsonl"), _read(d / "needs.jsonl"))
        (args.out / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True))
    data = _dump(synthetic.candidates(3000, seed=21), synthetic.queries(60, seed=22),
                 synthetic.candidates(800, seed=23, kind="need"))
    (args.out / "synthetic.json").write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True))


if __name__ == "__main__":
    main()
