"""The JSON Lines command line, run in a subprocess on small files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts a Python process

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "matching", *args], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_rank_prints_one_line_per_query(tmp_path: Path) -> None:
    cands = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "s1", "kind": "site", "name": "飛行場", "text": "ドローンの目視外飛行ができる山の飛行場",
         "lat": 43.1, "lon": 141.4, "available": [["2027-01-01", "2027-03-31"]]},
        {"id": "s2", "kind": "site", "text": "水素ステーションのある港", "lat": 42.6, "lon": 141.6},
        {"id": "o1", "kind": "organisation", "text": "We fly drones for inspections."},
    ])
    queries = write_jsonl(tmp_path / "q.jsonl", [
        {"id": "q1", "text": "UAV BVLOS test", "lat": 43.06, "lon": 141.35, "radius_km": 50,
         "period": ["2027-01-10", "2027-01-20"], "kinds": ["site", "organisation"]},
        {"id": "q2", "text": "hydrogen"},
    ])
    out = run("rank", "--candidates", str(cands), "--queries", str(queries), "--top", "2")
    assert [o["query"] for o in out] == ["q1", "q2"]
    first = out[0]["results"]
    assert first[0]["id"] == "s1" and set(first[0]) == {"id", "kind", "score", "reasons"}
    assert all(0 <= r["score"] <= 100 for r in first)
    assert [r["score"] for r in first] == sorted((r["score"] for r in first), reverse=True)
    assert "s2" not in {r["id"] for r in first}  # outside the circle
    assert out[1]["results"][0]["id"] == "s2"


def test_similar_prints_pairs(tmp_path: Path) -> None:
    items = write_jsonl(tmp_path / "n.jsonl", [
        {"id": "n1", "kind": "need", "text": "水素ステーションの圧縮水素の貯蔵量の上限を緩和してほしい。"},
        {"id": "n2", "kind": "need", "text": "Raise the cap on compressed hydrogen stored at hydrogen stations."},
        {"id": "n3", "kind": "need", "text": "外国人エンジニアの在留資格の審査を早くしてほしい。"},
    ])
    out = run("similar", "--items", str(items), "--threshold", "25")
    assert [(o["a"], o["b"]) for o in out] == [("n1", "n2")]
    assert "score" in out[0] and "reasons" in out[0]
