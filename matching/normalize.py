"""Text normalisation for mixed Japanese/English text (NFKC, case, kana, long vowels, punctuation)."""
from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

logger = logging.getLogger(__name__)

# Dash-like characters that are not the katakana long-vowel mark (ー).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2500\u2501"
_TRANSLATE = {ord(c): "-" for c in _DASHES}
_TRANSLATE.update({
    ord("\u301c"): "~",  # wave dash 〜 (kept as a range sign, never as ー)
    ord("\uff5e"): "~",
    ord("\u3000"): " ",
    ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"',
    ord("\uff65"): "\u30fb",  # half-width middle dot
    ord("\u00b7"): "\u30fb",
    ord("\u2022"): "\u30fb",
})
_TRANSLATE_STR = {chr(k): v for k, v in _TRANSLATE.items()}
# str.translate is slow on non-ASCII text; a regex finds the few characters to replace.
_PUNCT = re.compile("[" + re.escape("".join(_TRANSLATE_STR)) + "]")
_HIRA_START, _HIRA_END = 0x3041, 0x3096
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ"
_SPACE_BETWEEN_CJK = re.compile(rf"([{_CJK}]) (?=[{_CJK}])")  # after whitespace is collapsed
# A katakana run of at least three characters followed by a final long-vowel mark:
# サーバー -> サーバ, データセンター -> データセンタ (JIS Z 8301 style spelling).
_TRAILING_CHOON = re.compile(r"([\u30a1-\u30fa\u30fc]{2,}[\u30a1-\u30fa])\u30fc+(?![\u30a1-\u30fc])")
_HIRAGANA_RUN = re.compile(r"[\u3041-\u3096\u30fc]{3,}")


def nfkc_lower(text: str) -> str:
    """NFKC-fold and lower-case ``text``, unify dashes/tildes/quotes and collapse whitespace.

    This keeps hiragana and katakana apart so that a morphological analyser still sees normal
    Japanese. Spaces between two CJK characters are removed; the space between CJK and Latin
    text is kept.
    """
    if not text:
        return ""
    s = _translate(unicodedata.normalize("NFKC", text)).casefold()
    s = _translate(unicodedata.normalize("NFKC", s))
    s = " ".join(s.split())  # str.split and re's \s agree on what whitespace is
    return _SPACE_BETWEEN_CJK.sub(r"\1", s) if " " in s else s


def _translate(s: str) -> str:
    return _PUNCT.sub(lambda m: _TRANSLATE_STR[m.group(0)], s) if _PUNCT.search(s) else s


def hira_to_kata(text: str) -> str:
    """Map hiragana to katakana (ど -> ド); other characters are unchanged."""
    return "".join(
        chr(ord(c) + 0x60) if _HIRA_START <= ord(c) <= _HIRA_END else c for c in text
    )


def fold_long_vowel(text: str) -> str:
    """Drop a word-final ー after three or more katakana (サーバー -> サーバ)."""
    return _TRAILING_CHOON.sub(r"\1", text)


@lru_cache(maxsize=131072)
def fold_term(term: str) -> str:
    """Fold one token or dictionary key: kana to katakana and the final long vowel."""
    return fold_long_vowel(hira_to_kata(term))


def normalize(text: str) -> str:
    """Return the search key of ``text``: the form to compare for fuzzy look-ups.

    NFKC (full-width/half-width), case folding, dash/tilde/quote variants, whitespace,
    hiragana folded to katakana and a word-final long vowel dropped, so that
    ``normalize("ﾄﾞﾛｰﾝ") == normalize("どろーん") == "ドローン"`` and
    ``normalize("データセンター") == normalize("データセンタ")``. The function is idempotent.
    """
    s = hira_to_kata(nfkc_lower(text))
    # Folding can bring a combining (semi-)voiced mark next to a katakana: compose again, until stable.
    for _ in range(4):
        t = unicodedata.normalize("NFC", fold_long_vowel(s))
        if t == s:
            break
        s = t
    return s


def hiragana_runs(text: str) -> list[tuple[int, int]]:
    """Spans of hiragana runs (with ー) of three or more characters, for loan-word recovery."""
    return [m.span() for m in _HIRAGANA_RUN.finditer(text)]
