"""The plain records the library takes and returns: Candidate, Query, Result."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, fields
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
    # Where an organisation works, when it says so in a field: place names of the gazetteer
    # (municipalities, sub-prefectures, areas: 倶知安町, 十勝, Kamikawa), a radius around its point,
    # or a scope ("hokkaido": all Hokkaido, "nationwide"). None of them: read from the text
    # ("we work only within the Hidaka area", 「富良野盆地内のみ対応」), else not area-bound.
    service_area: list[str] = field(default_factory=list)
    service_radius_km: float | None = None
    service_scope: str = ""

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
            service_area=list(d.get("service_area") or []), service_radius_km=d.get("service_radius_km"),
            service_scope=d.get("service_scope") or "",
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object ``from_dict`` reads."""
        d = dict(vars(self))
        d["available"] = [[a.isoformat(), b.isoformat()] for a, b in self.available]
        return d

    def full_text(self) -> str:
        """Name, description, tags and municipality as one text for analysis."""
        return " ".join(p for p in (self.name, self.text, " ".join(self.tags), self.municipality) if p)


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


def _plain(obj: Any) -> dict[str, Any]:
    """The fields of a reasons dataclass as a JSON-ready dict, leaving out those not given (None)."""
    return {f.name: v for f in fields(obj) if (v := getattr(obj, f.name)) is not None}


@dataclass
class Reasons:
    """Why a candidate ranks where it does.

    ``contributions`` (component -> points) add up to the score (up to rounding); ``components``
    are the component values in [0, 1] and ``weights`` their share. ``matched_terms`` are words
    found in both texts (rarest first; ``query word/candidate word`` when they differ) and
    ``bridges`` the synonym or translation pairs (``UAV ↔ ドローン``). The other fields are given
    (not None) only when the query asks for what they describe: tags, a point, support, a period,
    a corrected spelling.
    """

    contributions: dict[str, float] = field(default_factory=dict)
    components: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    matched_terms: list[str] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)
    synonyms_used: list[str] = field(default_factory=list)
    tags_matched: list[str] | None = None
    tags_missing: list[str] | None = None
    distance_km: float | None = None
    within_radius: bool | None = None
    wide_area: bool | None = None
    support_matched: list[str] | None = None
    support_missing: list[str] | None = None
    period_overlap_days: int | None = None
    period_days: int | None = None
    period_fully_covered: bool | None = None
    downgraded: str | None = None
    excludes: list[str] | None = None  # words of the query the candidate's text excludes
    factor: float | None = None
    spelling: list[str] | None = None
    service_area: list[str] | None = None  # the area an area-bound candidate works in (kept: it reaches the query's)
    query_area: list[str] | None = None  # the places the query names as its area (十勝管内, Hiyama area)
    settings_matched: list[str] | None = None  # setting/object words of the query the candidate names too
    setting_conflicts: list[str] | None = None  # "mountain ≠ sea": the candidate names only a contradicting setting
    weak: str | None = None  # why the candidate is a weak match (little text relevance), None for a real one

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the fields given."""
        return _plain(self)


@dataclass
class PairReasons:
    """Why two needs look alike: ``contributions`` add up to the pair's score; ``shared_terms`` and
    ``bridges`` as ``Reasons.matched_terms``/``bridges``; ``laws`` both name, ``laws_differ`` when
    both name a law and none is the same; ``tags_shared``."""

    contributions: dict[str, float] = field(default_factory=dict)
    components: dict[str, float] = field(default_factory=dict)
    shared_terms: list[str] = field(default_factory=list)
    bridges: list[str] = field(default_factory=list)
    laws: list[str] = field(default_factory=list)
    laws_differ: list[str] = field(default_factory=list)
    tags_shared: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return _plain(self)


@dataclass
class Result:
    """One ranked candidate: ``score`` 0-100 and the ``reasons`` that explain it (``Reasons``, or
    ``PairReasons`` for a need similar to a need)."""

    id: str
    kind: str
    score: float
    reasons: Reasons | PairReasons = field(default_factory=Reasons)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"id": self.id, "kind": self.kind, "score": self.score, "reasons": self.reasons.to_dict()}
