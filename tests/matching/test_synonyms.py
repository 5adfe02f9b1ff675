"""The synonym table: cross-language variants, extension files, law titles."""
from __future__ import annotations

from pathlib import Path

from matching import Query, load_synonyms
from matching.analyzer import Analyzer


def test_english_variants_map_to_the_japanese_canonical_term() -> None:
    table = load_synonyms()
    text, used = table.rewrite("uav and drones with h2")
    assert "ドローン" in text and "水素" in text
    assert ("uav", "ドローン") in used and ("drones", "ドローン") in used


def test_ascii_variants_match_whole_words_only() -> None:
    text, used = load_synonyms().rewrite("support the report")
    assert text == "support the report" and used == []


def test_law_titles_bridge_languages() -> None:
    table = load_synonyms()
    _, used = table.rewrite("explosives control act")
    assert used == [("explosives control act", "火薬類取締法")]
    assert "火薬類取締法" in table.laws


def test_extra_synonym_file_extends_the_table(tmp_path: Path) -> None:
    extra = tmp_path / "extra.tsv"
    extra.write_text("# ours\nスマート漁業\tsmart fishery\tIoT漁業\n", encoding="utf-8")
    table = load_synonyms(extra)
    assert table.lookup("smart fishery") == "スマート漁業"
    assert table.lookup("uav") == "ドローン"  # the shipped groups stay


def test_extra_csv_file_without_defaults(tmp_path: Path) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("海藻,seaweed,algae\n", encoding="utf-8")
    table = load_synonyms(extra, with_defaults=False)
    assert table.lookup("algae") == "海藻" and table.lookup("uav") is None


def test_hiragana_spelling_of_a_loanword_is_recovered() -> None:
    a = Analyzer().analyze("ばいおがすで水素をつくる")
    assert "バイオガス" in a.primary


def test_uav_request_finds_the_drone_site(index) -> None:
    results = index.rank(Query(text="BVLOS UAV test flights in the mountains", kinds=["site"]), limit=3)
    assert results[0].id == "s-drone"
    assert any("ドローン" in s for s in results[0].reasons.synonyms_used)


def test_analyzer_works_without_lexicon_or_synonyms() -> None:
    from matching.synonyms import SynonymTable

    a = Analyzer(synonyms=SynonymTable(), lexicon={}).analyze("ドローンの飛行 test flights")
    assert {"ドローン", "飛行", "test", "flight"} <= a.primary
