"""The JA -> EN gloss lexicon: reading table files and bridging languages with them."""
from __future__ import annotations

import gzip
from pathlib import Path

from matching.analyzer import GLOSS_WEIGHT, Analyzer
from matching.lexicon import load_lexicon
from matching.synonyms import SynonymTable

TABLE = (
    "# comment line\n"
    "\n"
    "除雪\tsnow removal clearing\r\n"  # a file saved with Windows line ends
    "港湾\tharbor port\n"
    "港湾\tsecond line ignored\n"  # the first line of a form wins
    "空欄\t   \n"  # no words: not a form
    "牧場\tfarm ranch meadow pasture grazing\n"
)


def test_plain_and_gzip_tables_read_the_same(tmp_path: Path) -> None:
    plain = tmp_path / "glosses.tsv"
    plain.write_bytes(TABLE.encode("utf-8"))
    packed = tmp_path / "glosses.tsv.gz"
    packed.write_bytes(gzip.compress(TABLE.encode("utf-8")))
    table = load_lexicon(str(plain))
    assert set(table) == {"除雪", "港湾", "牧場"}
    assert table["港湾"].split() == ["harbor", "port"]
    assert table["除雪"].split() == ["snow", "removal", "clearing"]
    assert load_lexicon(str(packed)) == table


def test_missing_table_gives_an_empty_lexicon(tmp_path: Path) -> None:
    assert load_lexicon(str(tmp_path / "absent.tsv")) == {}


def test_glosses_bridge_japanese_words_to_english_stems(tmp_path: Path) -> None:
    path = tmp_path / "glosses.tsv"
    path.write_text(TABLE, encoding="utf-8")
    a = Analyzer(synonyms=SynonymTable(), lexicon=load_lexicon(str(path))).analyze("港湾の除雪")
    assert a.terms["港湾"] == 1.0 and "港湾" in a.primary
    assert a.terms["harbor"] == GLOSS_WEIGHT and a.terms["port"] == GLOSS_WEIGHT
    assert a.terms["snow"] == GLOSS_WEIGHT and "clear" in a.terms  # stemmed
    assert "harbor" not in a.primary  # a gloss is not a word of the text


def test_only_the_first_gloss_words_count(tmp_path: Path) -> None:
    path = tmp_path / "glosses.tsv"
    path.write_text(TABLE, encoding="utf-8")
    a = Analyzer(synonyms=SynonymTable(), lexicon=load_lexicon(str(path))).analyze("牧場")
    assert {"farm", "ranch", "meadow", "pastur"} <= set(a.terms)
    assert "graz" not in a.terms and "grazing" not in a.terms
