"""The bilingual synonym table: variant -> canonical term, applied before tokenisation."""
from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from .normalize import fold_term, nfkc_lower

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SYNONYMS = DATA_DIR / "synonyms.tsv"
DEFAULT_LAWS = DATA_DIR / "laws.tsv"
_ASCII = re.compile(r"[ -~]+")
_LATIN = re.compile(r"[a-z0-9]")


@dataclass
class SynonymTable:
    """Maps spelling and language variants to one canonical term.

    ``canonical`` maps a normalised variant to its normalised canonical term; ``laws`` holds the
    canonical terms that are law titles (used as structured evidence for needs).
    """

    canonical: dict[str, str] = field(default_factory=dict)
    laws: set[str] = field(default_factory=set)
    _pattern: tuple[re.Pattern[str], re.Pattern[str]] | None = field(default=None, repr=False)
    _law_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _mixed_pattern: re.Pattern[str] | None = field(default=None, repr=False)

    def add_group(self, terms: list[str], is_law: bool = False) -> None:
        """Add one group; the first term is the canonical one. Later groups do not override."""
        keys = [nfkc_lower(t) for t in terms if t and t.strip()]
        if not keys:
            return
        head = keys[0]
        for k in keys:
            self.canonical.setdefault(k, head)
            self.canonical.setdefault(fold_term(k), head)
        if is_law:
            self.laws.add(head)
        self._pattern = None
        self._law_pattern = None
        self._mixed_pattern = None

    def merge(self, other: "SynonymTable") -> None:
        """Add the groups of ``other`` (existing variants keep their canonical term)."""
        for k, v in other.canonical.items():
            self.canonical.setdefault(k, v)
        self.laws |= other.laws
        self._pattern = None
        self._law_pattern = None
        self._mixed_pattern = None

    @property
    def patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """Two trie-shaped regexes over the variants of two or more characters, longest first:
        one for variants starting with an ASCII character (optional plural -s/-es; whole words:
        ``_ascii_matches`` checks the character before, which keeps the regex fast to search),
        one for the others. Single characters (港, 雪) are mapped per token, not in running text.
        """
        if self._pattern is None:
            ascii_words = [v for v in self.canonical if len(v) >= 2 and v[0].isascii()]
            other = [v for v in self.canonical if len(v) >= 2 and not v[0].isascii()]
            self._pattern = (
                re.compile(rf"(?:{_trie_regex(ascii_words)})(?:e?s)?(?![a-z0-9])"),
                re.compile(_trie_regex(other)),
            )
        return self._pattern

    @property
    def mixed_pattern(self) -> re.Pattern[str]:
        """A regex over the canonical terms written in Latin and Japanese at once (ローカル5g),
        which the analyser keeps whole instead of splitting the scripts apart."""
        if self._mixed_pattern is None:
            mixed = sorted({c for c in self.canonical.values() if _LATIN.search(c) and not c.isascii()})
            self._mixed_pattern = re.compile(_trie_regex(mixed))
        return self._mixed_pattern

    def laws_in(self, text: str) -> set[str]:
        """Canonical law titles occurring in ``text`` (one trie regex tells whether any does)."""
        if self._law_pattern is None:
            self._law_pattern = re.compile(_trie_regex(sorted(self.laws)))
        if not self._law_pattern.search(text):
            return set()
        return {c for c in self.laws if c in text}

    def lookup(self, variant: str) -> str | None:
        """Canonical term of one normalised variant or token, or None."""
        return self.canonical.get(variant) or self.canonical.get(fold_term(variant))

    def rewrite(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """Replace variants in normalised ``text`` by canonical terms, longest match first.

        ASCII variants match whole words only (with an optional plural -s/-es). Returns the
        rewritten text and the (variant, canonical) pairs that were used.
        """
        ascii_re, other_re = self.patterns
        matches = sorted([(m.start(), -m.end(), m.group(0)) for m in _ascii_matches(ascii_re, text)]
                         + [(m.start(), -m.end(), m.group(0)) for m in other_re.finditer(text)])
        if not matches:
            return text, []
        out: list[str] = []
        used: list[tuple[str, str]] = []
        pos = 0
        for start, neg_end, v in matches:
            if start < pos:
                continue  # overlaps a longer, earlier match
            canon = self.canonical.get(v)
            if canon is None:  # matched with a plural suffix
                canon = self.canonical.get(v[:-1]) or self.canonical.get(v[:-2])
            if canon is None:
                continue
            out.append(text[pos:start])
            # Keep spaces around a Japanese term put into English text so words stay apart.
            out.append(f" {canon} " if v[0].isascii() else canon)
            if v != canon:
                used.append((v, canon))
            pos = -neg_end
        out.append(text[pos:])
        return "".join(out), used


def _ascii_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that do not start inside a word (as ``finditer`` with a
    ``(?<![a-z0-9])`` look-behind, which would stop the regex from skipping ahead quickly)."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        start = m.start()
        if start and _LATIN.match(text, start - 1):
            pos = start + 1
            continue
        yield m
        pos = m.end() if m.end() > start else start + 1


def _trie_regex(words: list[str]) -> str:
    """A regex matching any of ``words``, shaped as a trie so that matching stays fast."""
    if not words:
        return r"(?!x)x"
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + pattern(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def read_groups(path: str | Path) -> list[list[str]]:
    """Read a synonym file: tab-separated groups (``.tsv``) or comma-separated (``.csv``)."""
    p = Path(path)
    delim = "," if p.suffix.lower() == ".csv" else "\t"
    groups = []
    with p.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=delim):
            if not row or row[0].startswith("#"):
                continue
            terms = [t.strip() for t in row if t.strip()]
            if len(terms) >= 2:
                groups.append(terms)
    return groups


def read_laws(path: str | Path = DEFAULT_LAWS) -> list[list[str]]:
    """Read ``laws.tsv`` (title_ja, short_ja with ``|``, title_en) into synonym groups."""
    groups = []
    with Path(path).open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh, delimiter="\t") if r and not r[0].startswith("#")]
    for row in rows[1:]:
        title_ja, short_ja, title_en = (row + ["", "", ""])[:3]
        groups.append([title_ja, *[s for s in short_ja.split("|") if s], title_en])
    return groups


def load_synonyms(path: str | Path | None = None, with_defaults: bool = True) -> SynonymTable:
    """Load a synonym table.

    ``path=None`` loads the shipped ``synonyms.tsv`` plus the law titles. With ``path`` given, its
    groups come first (they win over the shipped ones) and, when ``with_defaults`` is true, the
    shipped table is merged in after them. This is how the secretariat extends the dictionary.
    """
    table = SynonymTable()
    if path is not None:
        for g in read_groups(path):
            table.add_group(g)
        if not with_defaults:
            return table
    for g in read_groups(DEFAULT_SYNONYMS):
        table.add_group(g)
    if DEFAULT_LAWS.exists():
        for g in read_laws(DEFAULT_LAWS):
            table.add_group(g, is_law=True)
    return table
