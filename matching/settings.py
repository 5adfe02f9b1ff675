"""Setting and object words (``data/settings.tsv``): where a trial happens (sea, mountain, indoor,
paddy, apron …) and what it works on (cattle, vessel, truck …), in Japanese and English.

``SettingTable.groups(text)`` gives the groups a text names outside negated clauses. The index
compares a query's groups with each candidate's: a candidate naming the query's group gets the
``setting`` component, one naming only a contradicting group is marked and ranked down.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import nfkc_lower

logger = logging.getLogger(__name__)

DEFAULT_SETTINGS = Path(__file__).with_name("data") / "settings.tsv"
_CLAUSE = re.compile(r"[.;:!?。;:!?、,()\[\]「」]|\bbut\b")
_WORD = re.compile(r"[a-z][a-z-]*")
_LOOKBEHIND = re.compile(r"^\(\?<[!=][^)]*\)")
_NEGATED = re.compile(r"\b(?:no|not|never|nor|neither|without|except|excluding|cannot)\b|n't\b|outside our|"
                      r"ない|ません|できず|不可|対象外|除く|除き|禁止|はなく|がなく|おらず")


@dataclass(frozen=True)
class SettingGroup:
    """One group: ``cls`` (setting or object), ``name`` (English), the groups it contradicts."""

    cls: str
    name: str
    contradicts: frozenset[str]


class SettingTable:
    """The groups of one settings file and one pattern finding them all."""

    def __init__(self, path: Path | str = DEFAULT_SETTINGS) -> None:
        self.groups_by_name: dict[str, SettingGroup] = {}
        parts = []
        first_chars: set[str] = set()
        self._english: dict[str, str] = {}  # English word or two-word phrase -> group key
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cls, name, contra, ja, en = (line.split("\t") + ["", "", "", "", ""])[:5]
            key = f"g{len(self.groups_by_name)}"
            self.groups_by_name[key] = SettingGroup(cls, name, frozenset(c for c in contra.split(",") if c))
            alts = [a for a in ja.split("|") if a]
            for a in alts:  # the first character each alternative can match (after a look-behind)
                first_chars.add(_LOOKBEHIND.sub("", a)[0])
            for w in en.split("|"):
                if w:
                    self._english[w] = key
            if alts:
                parts.append(f"(?P<{key}>{'|'.join(alts)})")
        # A look-ahead on the possible first characters lets the scan skip most positions at once.
        self._pattern = re.compile(f"(?=[{re.escape(''.join(sorted(first_chars)))}])(?:{'|'.join(parts)})") \
            if parts else None
        self.names = {g.name for g in self.groups_by_name.values()}

    def groups(self, text: str) -> frozenset[str]:
        """Names of the groups ``text`` names in clauses without a negation."""
        if not text:
            return frozenset()
        t = nfkc_lower(text)
        found: set[str] = set()
        english = self._english
        for clause in _CLAUSE.split(t):
            if not clause or _NEGATED.search(clause):
                continue
            if self._pattern is not None and not clause.isascii():
                for m in self._pattern.finditer(clause):
                    found.add(self.groups_by_name[m.lastgroup].name)
            words = _WORD.findall(clause)
            for k, w in enumerate(words):
                key = english.get(w) or (english.get(f"{w} {words[k + 1]}") if k + 1 < len(words) else None)
                if key:
                    found.add(self.groups_by_name[key].name)
        return frozenset(found)

    def contradictions(self, asked: frozenset[str], named: frozenset[str]) -> list[str]:
        """``"asked ≠ named"`` for each group the query asks for that the candidate does not name
        while it names a group contradicting it."""
        by_name = {g.name: g for g in self.groups_by_name.values()}
        out = []
        for a in sorted(asked - named):
            for other in sorted(by_name[a].contradicts & named):
                out.append(f"{a} ≠ {other}")
        return out


@lru_cache(maxsize=1)
def default_settings() -> SettingTable:
    """The shipped table (loaded once per process)."""
    return SettingTable()
