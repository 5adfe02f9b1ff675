"""Bridges a bilingual reader would accept: precision of ``matching.bridges.confident_bridge`` on a
hand-labelled list of bridges drawn from explanations on the development sets (tests/matching/data)."""
from __future__ import annotations

from pathlib import Path

import pytest

from matching import Candidate, Index, Query, default_analyzer
from matching.bridges import confident_bridge

LABELLED = Path(__file__).with_name("data") / "bridges_labelled.tsv"


def labelled() -> list[tuple[str, str, int]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.startswith("a\t") or not line.strip():
            continue
        a, b, label, _ = line.split("\t")
        rows.append((a, b, int(label)))
    return rows


def bridge_precision() -> tuple[float, int, int]:
    """(precision, bridges accepted, labelled) of the shipped filter on the labelled list."""
    an = default_analyzer()
    rows = labelled()
    accepted = [label for a, b, label in rows if confident_bridge(an, a, b)]
    return sum(accepted) / len(accepted), len(accepted), len(rows)


def test_the_labelled_list_is_large_and_has_both_kinds() -> None:
    rows = labelled()
    assert len(rows) >= 300
    assert len({(a, b) for a, b, _ in rows}) == len(rows)
    assert 30 <= sum(1 for *_, label in rows if label == 0) < len(rows) / 2


def test_bridge_precision_on_the_labelled_list_is_at_least_098() -> None:
    precision, accepted, total = bridge_precision()
    print(f"bridge precision {precision:.3f} over {accepted} accepted of {total} labelled")
    assert precision >= 0.98 and accepted >= 300


@pytest.mark.parametrize("a, b", [
    ("wind", "北"), ("wind", "南"),  # minor senses ("north wind")
    ("landing", "陸送"), ("new", "情報"),  # only an English stem in common (land, news)
    ("area", "面積"), ("power", "送電線"), ("special", "特区"), ("wind", "風力"),  # modifiers, late senses
    ("Sea", "Hokkaido"), ("company", "startups"), ("fuel cell", "battery"),  # no translation at all
    ("Act", "Building Standards Act"), ("renewable energy", "可能"),  # a part of a synonym
])
def test_bridges_a_reader_rejects_are_not_shown(a: str, b: str) -> None:
    assert not confident_bridge(default_analyzer(), a, b)


@pytest.mark.parametrize("a, b", [
    ("UAV", "ドローン"), ("hydrogen", "水素"), ("どろーん", "drone"), ("power", "電力"), ("permits", "許可"),
    ("power line", "送電線"), ("winter", "冬季"), ("hours", "時間"), ("苫小牧", "苫小牧市"),
])
def test_bridges_a_reader_accepts_are_shown(a: str, b: str) -> None:
    assert confident_bridge(default_analyzer(), a, b)


def test_explanations_show_only_confident_bridges() -> None:
    index = Index.build([Candidate("s1", "送電線に沿って冬季にドローンを飛ばせる山間部の試験空域。", kind="site")])
    r = index.rank(Query(text="winter UAV flights along power lines in the mountains"), limit=1)[0]
    assert "UAV ↔ ドローン" in r.reasons.bridges
    assert all(confident_bridge(default_analyzer(), *b.split(" ↔ ")) for b in r.reasons.bridges)
    assert not any(b.startswith("power ↔") for b in r.reasons.bridges)
