"""The bilingual synonym table: variant -> canonical term, applied before tokenisation."""
from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .normalize import fold_term, nfkc_lower

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SYNONYMS = DATA_DIR / "synonyms.tsv"
DEFAULT_LAWS = DATA_DIR / "laws.tsv"
_ASCII = re.compile(r"[ -~]+")


@dataclass
class SynonymTable:
    """Maps spelling and language variants to one canonical term.

    ``canonical`` maps a normalised variant to its normalised canonical term; ``laws`` holds the
    canonical terms that are law titles (used as structured evidence for needs).
    """

    canonical: dict[str, str] = field(default_factory=dict)
    laws: set[str] = field(default_factory=set)
    _pattern: dict[str, tuple[int, ...]] | None = field(default=None, repr=False)

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

    def merge(self, other: "SynonymTable") -> None:
        """Add the groups of ``other`` (existing variants keep their canonical term)."""
        for k, v in other.canonical.items():
            self.canonical.setdefault(k, v)
        self.laws |= other.laws
        self._pattern = None

    @property
    def starts(self) -> dict[str, tuple[int, ...]]:
        """First character -> variant lengths starting with it, longest first (the scanner index)."""
        if self._pattern is None:
            idx: dict[str, set[int]] = {}
            for v in self.canonical:
                if len(v) >= 2:  # single characters (港, 雪) are mapped per token, not in running text
                    idx.setdefault(v[0], set()).add(len(v))
            self._pattern = {c: tuple(sorted(ls, reverse=True)) for c, ls in idx.items()}
        return self._pattern

    def lookup(self, variant: str) -> str | None:
        """Canonical term of one normalised variant or token, or None."""
        return self.canonical.get(variant) or self.canonical.get(fold_term(variant))

    def rewrite(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """Replace variants in normalised ``text`` by canonical terms, longest match first.

        ASCII variants match whole words only (with an optional plural -s/-es). Returns the
        rewritten text and the (variant, canonical) pairs that were used.
        """
        starts = self.starts
        canonical = self.canonical
        out: list[str] = []
        used: list[tuple[str, str]] = []
        pos = i = 0
        n = len(text)
        while i < n:
            c = text[i]
            lengths = starts.get(c)
            if lengths is None or (c.isascii() and i > 0 and text[i - 1].isascii() and text[i - 1].isalnum()):
                i += 1
                continue
            hit = None
            for length in lengths:
                v = text[i:i + length]
                if len(v) < length or v not in canonical:
                    continue
                end = i + length
                if c.isascii():
                    for suffix in ("", "s", "es"):
                        e = end + len(suffix)
                        if text[end:e] == suffix and (e >= n or not (text[e].isascii() and text[e].isalnum())):
                            hit = (v, e)
                            break
                    if hit is None:
                        continue
                else:
                    hit = (v, end)
                break
            if hit is None:
                i += 1
                continue
            v, end = hit
            canon = canonical[v]
            out.append(text[pos:i])
            # Keep spaces around a Japanese term put into English text so words stay apart.
            out.append(f" {canon} " if c.isascii() else canon)
            if v != canon:
                used.append((text[i:end], canon))
            pos = i = end
        out.append(text[pos:])
        return "".join(out), used


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
