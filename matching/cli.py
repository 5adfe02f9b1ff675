"""Command line over JSON Lines: ``python -m matching rank|similar|build-lexicon``."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

logger = logging.getLogger(__name__)


def read_jsonl(path: str | Path) -> Iterator[dict[str, Any]]:
    """Yield the JSON objects of a JSON Lines file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise SystemExit(f"{path}:{n}: invalid JSON: {exc}") from exc


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _analyzer(args: argparse.Namespace):
    from .analyzer import Analyzer
    from .lexicon import load_lexicon
    from .synonyms import load_synonyms

    if not args.synonyms and not args.lexicon:
        return None
    return Analyzer(load_synonyms(args.synonyms) if args.synonyms else None,
                    load_lexicon(args.lexicon) if args.lexicon else None)


def cmd_rank(args: argparse.Namespace) -> int:
    """Rank candidates for every query; one JSON line per query."""
    from .index import Index
    from .schema import Candidate, Query

    index = Index.build(map(Candidate.from_dict, read_jsonl(args.candidates)), analyzer=_analyzer(args))
    for q in read_jsonl(args.queries):
        query = Query.from_dict(q)
        results = index.rank(query, limit=args.top)
        _emit({"query": query.id, "results": [r.to_dict() for r in results]})
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    """Print every near-duplicate pair at or above the threshold; one JSON line per pair."""
    from .needs import NeedIndex
    from .schema import Candidate

    index = NeedIndex.build(map(Candidate.from_dict, read_jsonl(args.items)), analyzer=_analyzer(args))
    for pair in index.all_pairs(threshold=args.threshold):
        _emit(pair.to_dict())
    return 0


def cmd_build_lexicon(args: argparse.Namespace) -> int:
    """Rebuild the JA->EN gloss table from the jamdict-data package."""
    from .lexicon import build_lexicon

    n = build_lexicon(args.out, args.db)
    print(f"wrote {n} forms to {args.out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m matching``."""
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--synonyms", help="extra synonym file (.tsv/.csv), merged before the shipped one")
    common.add_argument("--lexicon", help="gloss table to use instead of the shipped one")
    p = sub.add_parser("rank", parents=[common], help="rank candidates for queries")
    p.add_argument("--candidates", required=True, help="candidates, JSON Lines")
    p.add_argument("--queries", required=True, help="queries, JSON Lines")
    p.add_argument("--top", type=int, default=10)
    p.set_defaults(func=cmd_rank)
    p = sub.add_parser("similar", parents=[common], help="near-duplicate pairs among items")
    p.add_argument("--items", required=True, help="items (needs), JSON Lines")
    p.add_argument("--threshold", type=float, default=33.0, help="minimum score 0-100 (33: best mean F1 on the dev sets)")
    p.set_defaults(func=cmd_similar)
    p = sub.add_parser("build-lexicon", help="build the JA->EN gloss table from jamdict-data")
    p.add_argument("--out", required=True)
    p.add_argument("--db", help="path of jamdict.db (default: the installed jamdict-data package)")
    p.set_defaults(func=cmd_build_lexicon)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    return args.func(args)
