"""The plain records the library takes and returns: Candidate, Query, Result."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

Period = tuple[dt.date, dt.date]


def parse_date(value: str | dt.date) -> dt.date:
    """Accept an ISO date string or a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def parse_period(value: Any) -> Period | None:
    """``[from, to]`` (ISO strings or dates, inclusive) -> (date, date), or None when missing."""
    if not value:
        return None
    a, b = parse_date(value[0]), parse_date(value[1])
    return (a, b) if a <= b else (b, a)


@dataclass
class Candidate:
    """Something a request can be matched to: a trial site (実証フィールド), a partner
    organisation, or a regulatory need (規制緩和ニーズ) for duplicate detection.

    ``available`` lists inclusive date ranges when a site can be used; empty means always.
    """

    id: str
    text: str
    kind: str = "site"
    name: str = ""
    tags: list[str] = field(default_factory=list)
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
    available: list[Period] = field(default_factory=list)
    support: list[str] = field(default_factory=list)  # kinds of support it can give (e.g. "funding")

    def __post_init__(self) -> None:
        # Accept ISO strings as well as dates, as the JSON Lines format gives them.
        if self.available:
            self.available = [p for p in map(parse_period, self.available) if p]

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Candidate":
        """Build from a JSON object (the JSON Lines format of the CLI)."""
        return cls(
            id=str(d["id"]), text=d.get("text") or "", kind=d.get("kind") or "site",
            name=d.get("name") or "", tags=list(d.get("tags") or []),
            municipality=d.get("municipality") or "",
            lat=d.get("lat"), lon=d.get("lon"),
            available=list(d.get("available") or []), support=list(d.get("support") or []),
        )

    def full_text(self) -> str:
        """Name, description, tags and municipality as one text for analysis."""
        return _full_text(self.name, self.text, self.tags, self.municipality)

    @staticmethod
    def full_text_of(d: dict[str, Any]) -> str:
        """``Candidate.from_dict(d).full_text()``, without building the candidate."""
        return _full_text(d.get("name") or "", d.get("text") or "", d.get("tags") or [], d.get("municipality") or "")


def _full_text(name: str, text: str, tags: list[str], municipality: str) -> str:
    return " ".join(p for p in (name, text, " ".join(tags), municipality) if p)


@dataclass
class Query:
    """A field-trial request (実証実験の相談) or regional challenge to find candidates for.

    ``radius_km`` applies only with a point; ``period`` is inclusive; ``kinds`` limits the kinds
    returned (None = all kinds).
    """

    text: str
    id: str = ""
    tags: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    period: Period | None = None
    kinds: list[str] | None = None
    support: list[str] = field(default_factory=list)  # kinds of support wanted (e.g. "permits")

    def __post_init__(self) -> None:
        self.period = parse_period(self.period)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Query":
        """Build from a JSON object (the JSON Lines format of the CLI)."""
        return cls(
            id=str(d.get("id", "")), text=d.get("text") or "", tags=list(d.get("tags") or []),
            lat=d.get("lat"), lon=d.get("lon"), radius_km=d.get("radius_km"),
            period=parse_period(d.get("period")), kinds=d.get("kinds") or None,
            support=list(d.get("support") or []),
        )


@dataclass
class Result:
    """One ranked candidate: ``score`` 0-100 and ``reasons`` that explain it.

    ``reasons["contributions"]`` add up to ``score`` (up to rounding).
    """

    id: str
    kind: str
    score: float
    reasons: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "kind": self.kind, "score": self.score, "reasons": self.reasons}
