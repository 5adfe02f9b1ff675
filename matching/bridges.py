"""Which bridges a bilingual reader would accept: ``confident_bridge(analyzer, a, b)``.

A bridge pairs two different words of two texts that the index matched through a synonym or a
translation (``UAV ↔ ドローン``, ``hydrogen ↔ 水素``). The gloss lexicon keeps up to six English
words per Japanese form without its sense boundaries, so a word of a minor sense (北: "wind" of
"north wind"), the modifier of a compound gloss (送電線 "power line": "power"), a word that only
shares an English stem (情報 "news" and "new"; 陸送 "land" and "landing") or one part of a synonym
(再生可能エネルギー and 可能) would otherwise be shown as a translation. A bridge is kept when:

- both words belong to the same synonym group (two different groups, e.g. two law titles: no);
- one word belongs to a group and the other is that group's canonical term or a spelling of it
  (a word of another group or a part of one, in the same language, is not: Act ↔ Building
  Standards Act, 可能 ↔ renewable energy);
- the two spell the same word (ばいおがす, バイオガス; 苫小牧, 苫小牧市);
- or the English word is the Japanese word's first gloss (or the second, when it is the head of a
  phrase after an adjective, 電力 "electric power", or of a two-word entry of a word with kanji,
  時間 "time hour"; a single kanji only with at most four gloss words), as written or as a plural
  (verbs and adjectives also inflected), not an English adjective that opens a gloss phrase of a
  noun (国道 "national highway", 先 "short while ago"), and not the modifier of a gloss phrase whose head
  translates the compound's head (送電線 "power line": ↔ line, not ↔ power; 特区 "special ward …":
  not ↔ special; 車幅 "car width": not ↔ car).
"""
from __future__ import annotations

import logging
import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

from .normalize import fold_term, normalize

if TYPE_CHECKING:  # pragma: no cover
    from .analyzer import Analyzer

logger = logging.getLogger(__name__)

_HAS_KANJI = re.compile(r"[\u4e00-\u9fff]")
_KANJI_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_KANA_END = re.compile(r"[\u3041-\u3096]$")
_MUNICIPAL_SUFFIX = re.compile(r"(市|町|村|区)$")
_local = threading.local()


@lru_cache(maxsize=65536)
def _split_a(word: str) -> tuple[str, ...]:
    """Sudachi's short units (mode A) of a word, as normalised forms."""
    tok = getattr(_local, "tokenizer", None)
    if tok is None:
        from sudachipy import SplitMode  # noqa: PLC0415 - loaded with the analyser's dictionary

        from . import analyzer as an  # noqa: PLC0415

        an._tokenizer()  # the shared dictionary
        tok = _local.tokenizer = an._dictionary.tokenizer(SplitMode.A, fields={"normalized_form", "pos"})
    # A suffix (者, 性, 書) is no head of its own: it stays with the word before it.
    out: list[str] = []
    for m in tok.tokenize(word):
        if out and m.part_of_speech()[0] == "接尾辞":
            out[-1] += m.normalized_form()
        else:
            out.append(m.normalized_form())
    return tuple(out)


@lru_cache(maxsize=65536)
def _canonical(key: str, word: str) -> str | None:
    an = _analyzers[key]
    f = fold_term(normalize(word))
    low = word.casefold()
    singular = (low[:-1],) if low.isascii() and low.endswith("s") and len(low) > 4 else ()
    for key in (f, low, normalize(word), *singular):
        c = an.synonyms.lookup(key)
        if c:
            return fold_term(normalize(c))
    return None


_analyzers: dict[str, "Analyzer"] = {}  # by version


def _glosses(an: "Analyzer", word: str) -> list[str]:
    """The lexicon's gloss words of a Japanese word (of its dictionary form when inflected)."""
    got = an.lexicon.get(fold_term(normalize(word)))
    if got is None:
        for part in (_split_a(word) or ())[:1]:
            got = an.lexicon.get(fold_term(part))
    return (got or "").split()


def _gloss_match(e: str, g: str, verb: bool) -> bool:
    if e == g or e in (g + "s", g + "es") or (g.endswith("y") and e == g[:-1] + "ies"):
        return True
    if len(e) >= 4 and g in (e + "s", e + "es"):  # the gloss in the plural (mountains), not news/new
        return True
    if verb:
        from .analyzer import stem  # noqa: PLC0415 - the analyser imports the evidence module

        return stem(e) == stem(g)
    return False


def _gloss_bridge(an: "Analyzer", ja: str, en: str) -> bool:
    e = en.casefold()
    verb = bool(_KANA_END.search(ja))
    glosses = _glosses(an, ja)
    pos = next((i for i, g in enumerate(glosses[:2]) if _gloss_match(e, g, verb)), None)
    if pos is None:
        return False
    # The second gloss word only as the head of a phrase after an adjective (電力 "electric power")
    # or of a two-word entry (時間 "time hour", 蓄電池 "storage battery").
    if pos == 1 and not (_is_adjective(glosses[0]) or len(glosses) == 2 and _HAS_KANJI.search(ja)) \
            or _is_adjective(e) and pos == 1:
        return False
    if len(ja) == 1 and len(glosses) > 4:
        return False  # one kanji with many senses (秋: "time hour moment occasion case autumn")
    if (_is_adjective(e) and len(glosses) >= 2 and not verb
            and not any(_gloss_match(e, g, False) for g in glosses[1:])):
        return False  # an English adjective first in a gloss phrase modifies the noun after it (国道 "national highway")
    if pos == 0 and len(glosses) >= 2 and len(ja) == 2 and _KANJI_ONLY.fullmatch(ja):
        first = an.lexicon.get(ja[0], "").split()[:6]
        if any(_gloss_match(e, g, False) for g in first) and not any(_gloss_match(glosses[1], g, False) for g in first):
            return False  # 風力 "wind power": wind is 風's, the word is the power
    # The head of a compound: its last short unit (送電 + 線), or the last kanji of a word of
    # kanji only (特区: 区). The English word must not be a modifier of a phrase whose head
    # translates it (送電線 "power line": line is 線's, so power is a modifier; 特区 "special ward").
    parts = [p for p in _split_a(ja) if p]
    head = parts[-1] if len(parts) >= 2 else (ja[-1] if _KANJI_ONLY.fullmatch(ja) and len(ja) >= 2 else None)
    if head is not None:
        head_glosses = an.lexicon.get(fold_term(head), "").split()[:6]
        if not any(_gloss_match(e, h, verb) for h in head_glosses):
            later = glosses[pos + 1:6]
            if any(_gloss_match(g, h, True) or (len(h) >= 3 and h in g) for g in later for h in head_glosses):
                return False
    return True


_ADJECTIVES = frozenset(
    "wide narrow high low large small big little short long new old young cold hot warm cool free open "
    "full empty public private special central local national several many few next last main whole "
    "own other same general common single double first second good bad great heavy light early late "
    "air".split())
_ADJECTIVE_END = re.compile(r"(?:al|ic|ous|ive|ful|less|able|ible|ary|ern|ish)$")


def _is_adjective(word: str) -> bool:
    """A crude test for an English adjective (or a word used as one, like "air" in "air temperature")."""
    return word in _ADJECTIVES or (len(word) > 5 and bool(_ADJECTIVE_END.search(word)))


def confident_bridge(analyzer: "Analyzer", a: str, b: str) -> bool:
    """Whether ``a ↔ b`` is a bridge a bilingual reader would accept (see the module text)."""
    key = analyzer.version  # the synonyms and lexicon in use: analysers alike share answers
    _analyzers[key] = analyzer
    return _confident(key, a, b)


@lru_cache(maxsize=65536)
def _confident(key: str, a: str, b: str) -> bool:
    analyzer = _analyzers[key]
    na, nb = fold_term(normalize(a)), fold_term(normalize(b))
    if na == nb or _MUNICIPAL_SUFFIX.sub("", na) == _MUNICIPAL_SUFFIX.sub("", nb) and not na.isascii():
        return True
    ca, cb = _canonical(key, a), _canonical(key, b)
    if ca and cb:
        return ca == cb
    if ca or cb:  # one word of a group and a part of it (Act ↔ Building Standards Act, 可能): no
        canon, other = (ca, nb) if ca else (cb, na)
        return other == canon
    if a.isascii() == b.isascii():
        return False
    ja, en = (b, a) if a.isascii() else (a, b)
    return _gloss_bridge(analyzer, ja, en)
