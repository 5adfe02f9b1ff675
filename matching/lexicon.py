"""The Japanese -> English gloss lexicon (from JMdict) used to bridge the two languages.

The shipped table ``data/ja_en_glosses.tsv.gz`` holds one line per Japanese form:
``form<TAB>word word ...`` (lower-case English gloss words, stop words removed). It was generated
from JMdict (EDRDG, CC BY-SA 4.0) with ``python -m matching build-lexicon``, which reads the SQLite
file of the ``jamdict-data`` package; that package is needed only to rebuild the table.
"""
from __future__ import annotations

import gzip
import logging
import re
import sqlite3
from functools import lru_cache
from pathlib import Path

from .normalize import fold_term, nfkc_lower

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_LEXICON = DATA_DIR / "ja_en_glosses.tsv.gz"

_GLOSS_WORD = re.compile(r"[a-z][a-z0-9]+")
_PAREN = re.compile(r"\([^)]*\)")
# Parts of speech worth bridging: content words, mostly nouns.
_USEFUL_POS = ("noun", "suru", "adjectival", "verb", "adjective")
GLOSS_STOPWORDS = frozenset(
    "a an the of to in on for and or with by as at from into be is are was were it its "
    "one's someone something etc esp e.g i.e kind sort type thing things way used use "
    "being having make do doing one some any that this those these such also not".split()
)
MAX_WORDS_PER_FORM = 6


def gloss_words(gloss: str) -> list[str]:
    """Split an English gloss into lower-case content words, without parenthesised notes."""
    text = _PAREN.sub(" ", gloss.lower())
    return [w for w in _GLOSS_WORD.findall(text) if w not in GLOSS_STOPWORDS]


# One ``form<TAB>words`` line (comment lines start with #); read in one pass over the whole file.
_LEXICON_LINE = re.compile(r"^([^#\t\n][^\t\n]*)\t([^\n]*\S[^\n]*)$", re.MULTILINE)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> dict[str, str]:
    """Load a gloss table (``form<TAB>words``, optionally gzip-compressed) into a dict from a
    form to its space-separated gloss words (the first line of a form wins).

    The words stay one string until a form is looked up (``Analyzer`` splits and keeps them):
    splitting all 240,000 lines up front tripled the load time, which every analysis worker pays.
    ``path=None`` loads the shipped table. A missing file gives an empty lexicon and a warning:
    matching then still works, with lower recall across languages.
    """
    p = Path(path) if path else DEFAULT_LEXICON
    if not p.exists():
        logger.warning("gloss lexicon %s not found; cross-language recall will be lower", p)
        return {}
    data = p.read_bytes()
    text = (gzip.decompress(data) if p.suffix == ".gz" else data).decode("utf-8")
    return dict(reversed(_LEXICON_LINE.findall(text)))


def find_jamdict_db() -> Path:
    """Return the path of the JMdict SQLite file installed by the ``jamdict-data`` package."""
    import jamdict_data  # noqa: PLC0415 - only needed when rebuilding the lexicon

    return Path(jamdict_data.__file__).resolve().parent / "jamdict.db"


def build_lexicon(out: str | Path, db_path: str | Path | None = None) -> int:
    """Build the compact JA -> EN gloss table from JMdict and write it to ``out``.

    Keeps kanji forms and katakana-only kana forms of entries whose first senses are content
    words, with at most ``MAX_WORDS_PER_FORM`` gloss words from the first two senses.
    Returns the number of forms written.
    """
    db = Path(db_path) if db_path else find_jamdict_db()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        senses: dict[int, list[int]] = {}
        for sid, idseq in con.execute("SELECT ID, idseq FROM Sense ORDER BY ID"):
            senses.setdefault(idseq, []).append(sid)
        pos: dict[int, str] = {}
        for sid, text in con.execute("SELECT sid, text FROM pos"):
            pos[sid] = pos.get(sid, "") + " " + text
        glosses: dict[int, list[str]] = {}
        for sid, text in con.execute("SELECT sid, text FROM SenseGloss WHERE lang='eng'"):
            glosses.setdefault(sid, []).append(text)
        forms: dict[int, list[str]] = {}
        for idseq, text in con.execute("SELECT idseq, text FROM Kanji ORDER BY ID"):
            forms.setdefault(idseq, []).append(text)
        for idseq, text in con.execute("SELECT idseq, text FROM Kana ORDER BY ID"):
            if re.fullmatch(r"[\u30a1-\u30fc・]+", text):
                forms.setdefault(idseq, []).append(text)
    finally:
        con.close()

    last_pos = ""
    table: dict[str, list[str]] = {}
    for idseq in sorted(forms):
        words: list[str] = []
        for sid in senses.get(idseq, [])[:2]:
            p = pos.get(sid, last_pos)  # JMdict omits pos when it repeats the previous sense
            last_pos = p
            if not any(k in p for k in _USEFUL_POS):
                continue
            for g in glosses.get(sid, [])[:3]:
                for w in gloss_words(g):
                    if w not in words:
                        words.append(w)
        if not words:
            continue
        for form in forms[idseq]:
            key = fold_term(nfkc_lower(form))
            if len(key) < 2 and not re.match(r"[\u4e00-\u9fff]", key):
                continue
            slot = table.setdefault(key, [])
            for w in words:
                if w not in slot and len(slot) < MAX_WORDS_PER_FORM:
                    slot.append(w)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if out.suffix == ".gz" else open
    with opener(out, "wt", encoding="utf-8") as fh:
        fh.write("# JA->EN gloss words generated from JMdict (EDRDG), CC BY-SA 4.0\n")
        for key in sorted(table):
            fh.write(f"{key}\t{' '.join(table[key])}\n")
    logger.info("wrote %d forms to %s", len(table), out)
    return len(table)
