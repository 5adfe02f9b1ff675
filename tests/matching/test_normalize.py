"""Normalisation: width, case, kana, long vowels, punctuation; idempotence."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ﾄﾞﾛｰﾝ", "ドローン"),
        ("ＡＩ", "ai"),
        ("どろーん", "ドローン"),
        ("サーバー", "サーバ"),
        ("データセンター", "データセンタ"),
        ("ローカル５Ｇ", "ローカル5g"),
        ("H₂", "h2"),
        ("ＣＯ２　回収", "co2 回収"),
        ("1〜3月", "1~3月"),
        ("A－B‐C", "a-b-c"),
    ],
)
def test_normalize_cases(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_hiragana_and_katakana_spellings_meet() -> None:
    assert normalize("どろーん") == normalize("ドローン") == normalize("ﾄﾞﾛｰﾝ")


@pytest.mark.parametrize(("short", "long"), [("サーバ", "サーバー"), ("データセンタ", "データセンター"),
                                              ("センサ", "センサー")])
def test_long_vowel_variants_meet(short: str, long: str) -> None:
    assert normalize(short) == normalize(long)


def test_short_katakana_words_keep_their_long_vowel() -> None:
    assert normalize("ビー") == "ビー"


def test_spaces_between_japanese_are_removed_but_not_before_latin() -> None:
    assert normalize("ドローン による 配送 drone test") == "ドローンニヨル配送 drone test"


def test_empty_text() -> None:
    assert normalize("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ぁあいうえおかがきぎゕゖゔドローンサーバーｶﾞﾟｰー－〜ＡＢ１ abc-\u3099\u309a\uff9e", max_size=30))
def test_normalize_is_idempotent_on_kana_heavy_text(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
