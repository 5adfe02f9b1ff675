"""The directory search module: Japanese-aware normalisation and fuzzy ranking over plain records."""
from __future__ import annotations

from app.members.search_queries import SearchRecord, literal_rank, normalise, rank


def _record(id, name="", tags="", capabilities="", municipality="", sector="", description=""):
    return SearchRecord(id, {"name": name, "tags": tags, "capabilities": capabilities, "municipality": municipality,
                             "sector": sector, "description": description})


def test_normalise_folds_width_case_and_katakana():
    assert normalise("ＤＲＯＮＥ　ﾄﾞﾛｰﾝ") == normalise("drone ドローン") == "drone どろーん"


def test_normalise_is_idempotent():
    text = "北央銀行（デモ） ＧＸファイナンス ｶﾀｶﾅ"
    assert normalise(normalise(text)) == normalise(text)


def test_half_width_katakana_query_finds_full_width_tag():
    hits = rank("ﾄﾞﾛｰﾝ", [_record(1, tags="ドローン 物流"), _record(2, tags="水素")])
    assert [h.id for h in hits] == [1]
    assert hits[0].matched == ["tags"]


def test_hiragana_query_finds_katakana():
    assert [h.id for h in rank("どろーん", [_record(1, capabilities="ドローンによる点検")])] == [1]


def test_a_name_hit_ranks_above_a_description_hit():
    hits = rank("水素", [_record(1, description="将来は水素も"), _record(2, name="道央水素株式会社")])
    assert [h.id for h in hits] == [2, 1]


def test_a_record_with_every_word_ranks_first():
    records = [_record(1, tags="ドローン", municipality="札幌市"), _record(2, tags="ドローン", municipality="岩見沢市")]
    assert [h.id for h in rank("ドローン 岩見沢", records)][0] == 2


def test_literal_matching_needs_every_word():
    records = [_record(1, tags="ドローン", municipality="岩見沢市"), _record(2, tags="ドローン", municipality="札幌市")]
    assert list(literal_rank("ドローン 岩見沢", records)) == [1]


def test_english_query_finds_japanese_tags_through_synonyms():
    hits = rank("hydrogen", [_record(1, name="道央電力", tags="水素 系統"), _record(2, name="北央銀行", tags="投資")])
    assert [h.id for h in hits] == [1]
    assert "水素" in hits[0].terms


def test_a_synonym_finds_the_canonical_term():
    assert [h.id for h in rank("UAV", [_record(1, tags="ドローン"), _record(2, tags="水素")])] == [1]


def test_small_typos_still_match_long_words():
    assert [h.id for h in rank("infrastructre", [_record(1, tags="infrastructure inspection")])] == [1]


def test_an_empty_query_returns_nothing():
    assert rank("   ", [_record(1, name="x")]) == []


def test_limit_gives_a_prefix():
    records = [_record(i, name=f"ドローン{i}") for i in range(5)]
    assert rank("ドローン", records, limit=2) == rank("ドローン", records)[:2]


def test_related_terms_are_words_people_can_find():
    records = [_record(1, name="空知ドローンサービス", capabilities="ドローンによる農地の空撮と点検", tags="ドローン"),
               _record(2, name="Sky Ops", description="We operate UAVs for aerial inspection.")]
    hits = {h.id: h for h in rank("ドローン", records)}
    assert hits[1].terms == ["ドローン"]
    for hit in hits.values():
        assert not {"dron", "unman", "aircraft"} & {w.lower() for t in hit.terms for w in t.split("/")}
