"""Evidence for people: the terms two texts share, as words found in the texts.

The index matches on internal terms (Sudachi normalised forms, English stems such as ``dron``,
JMdict gloss words such as ``figurehead``). An explanation shows instead the words a person can
find in the query or the candidate (ドローン, 目視外飛行, flights), rare terms first, and the
bridges between different words (a synonym or a translation) as pairs: ``UAV ↔ ドローン``,
``hydrogen ↔ 水素``. Terms that are only glosses on both sides, gloss metadata words (verb,
intransitive, …) and stems that are not words of either text are never shown.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from .bridges import confident_bridge
from .normalize import fold_term, nfkc_lower

if TYPE_CHECKING:  # pragma: no cover
    from .analyzer import Analyzer

MAX_TERMS = 8
MAX_BRIDGES = 6
BRIDGE = " ↔ "
# Words of JMdict glosses that describe the entry rather than translate it, and gloss words too
# vague to explain a match (compared after stemming, see ``_is_meta``).
GLOSS_META = frozenset(
    "verb verbs intransitive intransitiv transitive transitiv noun nouns suffix prefix counter abbreviation "
    "abbreviat abbr adjective adjectiv adverb adverbial particle expression expressions auxiliary colloquial "
    "colloquialism honorific humble polite archaic obsolete slang usually kana word words term something "
    "someone somebody person people thing things etc esp e.g. i.e. one oneself sth sb also see used "
    "certain kind type sort way doing make get take give put go come".split()
)


# Explanations ask the same few thousand words again and again: keep their folded forms and patterns.
_lower = lru_cache(maxsize=65536)(nfkc_lower)


@lru_cache(maxsize=16384)
def _word_pattern(word: str) -> re.Pattern[str]:
    """An ASCII word on its own (not inside a longer word), any case."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)


# Explanations meet the same candidates' texts again and again (an index built per query from stored
# analyses; a directory search explains a hundred organisations): their normal forms are kept, by
# text (normalising was a third of explaining one; about 20 microseconds a text, a lookup about one).
NORMAL_FORMS_KEPT = 4_096


@lru_cache(maxsize=NORMAL_FORMS_KEPT)
def _normal_forms(raw: str) -> tuple[str, str]:
    """``raw`` folded for matching (``nfkc_lower``) and only NFKC-normalised (to show words as written)."""
    return nfkc_lower(raw), unicodedata.normalize("NFKC", raw)


def _is_meta(word: str) -> bool:
    return word in GLOSS_META or len(word) < 3 or not word.isalpha()


@dataclass
class Side:
    """One text of a comparison: the original text and what the analyser found in it."""

    raw: str
    primary: Iterable[str]
    surfaces: Mapping[str, str] = field(default_factory=dict)
    synonyms: Sequence[tuple[str, str]] = ()
    text: str = ""
    _raw_nfkc: str = ""
    _displayed: dict = field(default_factory=dict)
    _followers: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.primary = self.primary if isinstance(self.primary, (set, frozenset)) else set(self.primary)
        self.text, self._raw_nfkc = _normal_forms(self.raw or "")

    def _found(self, word: str) -> str | None:
        """``word`` as written in the text (original case), or None when the text lacks it."""
        if not word:
            return None
        w = _lower(word)
        if w.isascii():
            if w not in self.text:  # cheap test first: most words are not in the text at all
                return None
            pattern = _word_pattern(w)
            if not pattern.search(self.text):
                return None
            m = pattern.search(self._raw_nfkc)
            return m.group(0) if m else w
        return w if w in self.text else None

    def display(self, key: str) -> tuple[str, str | None] | None:
        """(word found in the text for term ``key``, the canonical term when the word came through a
        synonym, else None), or None when no word of the text stands for ``key``."""
        if key not in self._displayed:
            self._displayed[key] = self._display(key)
        return self._displayed[key]

    def _display(self, key: str) -> tuple[str, str | None] | None:
        word = self._found(self.surfaces.get(key, key))
        if word is not None:
            return word, None
        for variant, canon in self.synonyms:
            lowered = _lower(canon)
            c = fold_term(lowered)
            if key == c or key == lowered or key in c:
                word = self._found(variant)
                if word is not None:
                    return word, canon
        return None

    def followers(self, word: str) -> set[str]:
        """The characters that follow ``word`` wherever it stands in the text (kept: the query's
        side is asked again for every result)."""
        got = self._followers.get(word)
        if got is None:
            got = self._followers[word] = _followers(word, self.text)
        return got

    def gloss_source(self, analyzer: "Analyzer", gloss: str) -> tuple[str, bool] | None:
        """(A word of this text whose English gloss is ``gloss`` (shortest first), the word it
        stands for), or None."""
        for k in sorted(self.primary, key=lambda t: (len(t), t)):
            if not k.isascii() and gloss in analyzer._glosses(k):
                got = self.display(k)
                if got is not None:
                    return got[0], got[1] or got[0]
        return None


def _same(a: str, b: str) -> bool:
    """The same word, up to case and (English) inflection: UAV and UAVs, flight and flights."""
    if a == b:
        return True
    from .analyzer import stem  # noqa: PLC0415 - the analyser imports this module's users

    a, b = a.casefold(), b.casefold()
    return a == b or (a.isascii() and b.isascii() and stem(a) == stem(b))


def shared_evidence(analyzer: "Analyzer", keys: Iterable[str], q: Side, c: Side,
                    corrected: Iterable[str] = (), limit: int = MAX_TERMS) -> tuple[list[str], list[str]]:
    """(matched terms, bridges) for the shared term ``keys`` (most informative first).

    A term found literally on both sides is shown as written (the query's spelling); a term that
    is a synonym or a gloss on one side is shown as ``query word/candidate word`` and listed as a
    bridge ``query word ↔ candidate word``. ``corrected`` are index terms a misspelt query word
    was corrected to (shown as the candidate writes them).
    """
    corrected = set(corrected)
    # In order of the keys: (word, None) for a word found as such (the same word on both sides,
    # or on one side only), (query word, candidate word) for a synonym or a translation.
    found: list[tuple[str, str | None]] = []
    for key in keys:
        if len(found) >= 2 * limit:
            break
        qp, cp = key in q.primary, key in c.primary
        if key in corrected and cp:
            qd, cd = None, c.display(key)
        elif qp and cp:
            qd, cd = q.display(key), c.display(key)
        elif qp or cp:
            if _is_meta(key):
                continue
            qd = q.display(key) if qp else q.gloss_source(analyzer, key)
            cd = c.display(key) if cp else c.gloss_source(analyzer, key)
            if qd is None or cd is None:
                continue  # a gloss we cannot trace back to a word: not shown
        else:
            continue  # a gloss on both sides: the words themselves are shown when they match
        if qd is None or cd is None:
            if qd is not None or cd is not None:
                found.append(((qd or cd)[0], None))
            continue
        (qw, qcanon), (cw, ccanon) = qd, cd
        if _same(qw, cw) or not (qcanon or ccanon):
            found.append((qw, None))
            continue
        # Through a synonym or gloss: show the whole canonical term when the other text has it
        # (beyond visual line of sight ↔ 目視外飛行 rather than one pair per part of it).
        if qcanon and ccanon:  # both through synonyms: the candidate may use the query's own word
            cw = next((v for v, k in c.synonyms if k == qcanon and _same(v, qw)), cw)
        elif qcanon and not ccanon and c._found(qcanon):
            cw = c._found(qcanon) or cw
        elif ccanon and not qcanon and q._found(ccanon):
            qw = q._found(ccanon) or qw
        if _same(qw, cw):
            found.append((qw, None))
        elif confident_bridge(analyzer, qw, cw):
            found.append((qw, cw))
        # else: a sense too weak to show as a translation (北 ↔ wind); the score still counts it
    found = _merge_runs(found, q, c)
    words = [w for e in found for w in e if w]
    # ``qw`` is part of a longer word shown when it occurs in the words more often than it is one.
    joined = "\0".join(words)
    terms: list[str] = []
    bridges: list[str] = []
    seen: set[str] = set()
    for qw, cw in found:
        if cw is None:
            if joined.count(qw) > words.count(qw):
                continue  # part of a longer word already shown (飛行 in 目視外飛行)
            entry = qw
        else:
            entry = f"{qw}/{cw}"
            pair = f"{qw}{BRIDGE}{cw}"
            if pair.casefold() not in seen and len(bridges) < MAX_BRIDGES:
                seen.add(pair.casefold())
                bridges.append(pair)
        if entry.casefold() not in seen and len(terms) < limit:
            seen.add(entry.casefold())
            terms.append(entry)
    return terms, bridges


def _followers(word: str, text: str) -> set[str]:
    """The characters that follow ``word`` wherever it stands in ``text``."""
    out, start = set(), text.find(word)
    while start != -1:
        end = start + len(word)
        if end < len(text):
            out.add(text[end])
        start = text.find(word, start + 1)
    return out


def _merge_runs(found: list[tuple[str, str | None]], q: Side, c: Side) -> list[tuple[str, str | None]]:
    """Join Japanese words that overlap or follow each other in both texts (目視外 + 外飛行 ->
    目視外飛行), in the place of the first."""
    out = list(found)
    failed: set[tuple[str, str]] = set()  # pairs that do not join (they never will: the texts stay)
    followers: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        japanese = [i for i, (a, ac) in enumerate(out) if ac is None and not a.isascii()]
        for i in japanese:
            a = out[i][0]
            # A joined word continues ``a`` with a character that follows ``a`` in both texts.
            nexts = followers.get(a)
            if nexts is None:
                nexts = followers[a] = q.followers(a) & c.followers(a)
            if not nexts:
                continue
            tail = a[1:]
            for j in japanese:  # in list order, as before
                b = out[j][0]
                # ``b`` must start with a follower of ``a`` (a plain join) or inside ``a`` (an overlap).
                if j == i or len(b) < 2 or (b[0] not in nexts and b[0] not in tail) or (a, b) in failed:
                    continue
                for k in range(min(len(a), len(b)) - 1, -1, -1):
                    if b[k] not in nexts or (k and a[len(a) - k:] != b[:k]):
                        continue
                    m = a + b[k:]
                    if m != a and m != b and m in q.text and m in c.text:
                        out[i] = (m, None)
                        del out[j]
                        changed = True
                        break
                if changed:
                    break
                failed.add((a, b))
            if changed:
                break
    return out
