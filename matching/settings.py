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
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            cls, name, contra, ja, en = (line.split("\t") + ["", "", "", "", ""])[:5]
            key = f"g{len(self.groups_by_name)}"
            self.groups_by_name[key] = SettingGroup(cls, name, frozenset(c for c in contra.split(",") if c))
            alts = [a for a in ja.split("|") if a]
            alts += [rf"(?<![a-z]){re.escape(w)}(?![a-z])" for w in en.split("|") if w]
            if alts:
                parts.append(f"(?P<{key}>{'|'.join(alts)})")
        self._pattern = re.compile("|".join(parts)) if parts else None
        self.names = {g.name for g in self.groups_by_name.values()}

    def groups(self, text: str) -> frozenset[str]:
        """Names of the groups ``text`` names in clauses without a negation."""
        if self._pattern is None or not text:
            return frozenset()
        t = nfkc_lower(text)
        found: set[str] = set()
        for clause in _CLAUSE.split(t):
            if not clause or _NEGATED.search(clause):
                continue
            for m in self._pattern.finditer(clause):
                found.add(self.groups_by_name[m.lastgroup].name)
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
