"""Places of Hokkaido (the gazetteer ``data/hokkaido_places.csv``) and the areas texts name.

A place is a municipality (179), a sub-prefecture (14), a region (道央 …) or an area
(釧路・根室, ニセコ観光圏 …); each stands for a set of municipalities. ``Gazetteer.find`` reads the
places a text names in Japanese (倶知安町, 十勝管内, 滝川) or English (Kutchan, Hidaka area,
Eastern Hokkaido); ``Gazetteer.restricted_area`` the area a text limits itself to ("we work only
within the Kamikawa region", 「対応エリアはオホーツク管内のみ」, 「釧路市内に限られ」).
"""
from __future__ import annotations

import csv
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_PLACES = Path(__file__).with_name("data") / "hokkaido_places.csv"

# Romaji that are also common English words: only with "city", "town" or "village" after them.
_ROMAJI_NEEDS_SUFFIX = frozenset({"Date", "Mori", "Shimizu", "Ikeda", "Kyowa", "Fukushima"})
# Restriction words: a clause with one of them and a place limits the text to that place.
_EN_ONLY = re.compile(r"\b(?:only|exclusively|solely|limited to|restricted to|confined to)\b", re.IGNORECASE)
_JA_ONLY = re.compile(r"のみ|だけ|限る|限り|限ら|限っ|限定|に限|専属")
_RESTRICTION_HINTS = ("only", "exclusive", "solely", "limited", "restricted", "confined", "のみ", "だけ", "限", "専属")
# Clauses: sentence and clause marks (not the middle dot of 釧路・根室).
_CLAUSE = re.compile(r"[。.!?;；、,，\n]")
# Words after (or inside) a place name that make it an area: 十勝管内, 空知地方, Hiyama area.
_JA_AREA = re.compile(r"管内|地方|地域|エリア|圏|全域|一円|振興局")
_EN_AREA = re.compile(r"\s+(?:area|region|subprefecture|district)\b", re.IGNORECASE)
_EN_AREA_IN = re.compile(r"\b(?:area|region|subprefecture|Hokkaido)\b", re.IGNORECASE)
_MACRONS = str.maketrans("āēīōūĀĒĪŌŪâêîôûÂÊÎÔÛ", "aeiouAEIOUaeiouAEIOU")


@dataclass(frozen=True)
class Place:
    """One gazetteer row: ``name`` (Japanese), ``kind`` (city, town, village, subprefecture,
    region, area), ``members`` (the municipalities it covers; a municipality covers itself) and
    a point (a municipality's office, or the mean of the members' points)."""

    name: str
    kind: str
    romaji: str
    lat: float
    lon: float
    members: frozenset[str]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").translate(_MACRONS)


class Gazetteer:
    """The places of one gazetteer file and the patterns that find them in texts."""

    def __init__(self, path: Path | str = DEFAULT_PLACES) -> None:
        self.places: dict[str, Place] = {}
        rows = list(csv.DictReader(Path(path).read_text(encoding="utf-8").splitlines()))
        for r in rows:
            members = frozenset(m for m in (r.get("members") or "").split(";") if m) or frozenset({r["name_ja"]})
            self.places[r["name_ja"]] = Place(r["name_ja"], r["kind"], r["name_romaji"], float(r["lat"]),
                                              float(r["lon"]), members)
        self.municipalities = {n: p for n, p in self.places.items() if p.kind in ("city", "town", "village")}
        ja: dict[str, set[str]] = {}
        en: dict[str, set[str]] = {}
        for r in rows:
            name, kind = r["name_ja"], r["kind"]
            keys_ja = {name}
            keys_en: set[str] = set()
            romaji = r["name_romaji"]
            if kind in ("city", "town", "village"):
                stem = name[:-1]
                # A town's two-kanji stem is often a common word (清水, 大空, 豊富): only with 町/村.
                if len(stem) >= 2 and (kind == "city" or len(stem) >= 3 or not re.fullmatch(r"[\u4e00-\u9fff]+", stem)):
                    keys_ja.add(stem)
                for suffix in ("city", "town", "village", "City", "Town", "Village"):
                    keys_en.add(f"{romaji} {suffix}")
                if romaji not in _ROMAJI_NEEDS_SUFFIX:
                    keys_en.add(romaji)
            else:
                keys_en.add(romaji)
                if kind == "subprefecture":
                    keys_ja.add(re.sub(r"(総合)?振興局$", "", name))
                elif kind == "region":
                    keys_en.update({f"{romaji} region"})
            for alias in (r.get("aliases") or "").split(";"):
                if alias:
                    (keys_en if alias.isascii() else keys_ja).add(alias if alias.isascii() else _fold(alias))
            for k in keys_ja:
                ja.setdefault(_fold(k), set()).add(name)
            for k in keys_en:
                for variant in {k, k.replace("-", ""), k.replace("-", " ")}:
                    en.setdefault(variant, set()).add(name)
        self._ja = ja
        self._en = en
        self._ja_pattern = re.compile("|".join(map(re.escape, sorted(ja, key=len, reverse=True))))
        # English names: capitalised as written, whole words; phrases (Eastern Hokkaido) in any case.
        words = sorted(en, key=len, reverse=True)
        self._en_pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(map(re.escape, words)) + r")(?![A-Za-z])")
        self._en_lower = {k.lower(): v for k, v in en.items() if " " in k and len(k) >= 8 and not k.endswith(
            (" city", " town", " village", " City", " Town", " Village"))}
        self._en_lower_pattern = re.compile(
            r"(?<![a-z])(?:" + "|".join(map(re.escape, sorted(self._en_lower, key=len, reverse=True))) + r")(?![a-z])"
        ) if self._en_lower else None

    def lookup(self, name: str) -> frozenset[str]:
        """The municipalities a place name stands for (any spelling the gazetteer knows; empty when
        unknown)."""
        key = _fold(name).strip()
        names = self._ja.get(key) or self._en.get(key) or self._en_lower.get(key.lower()) or set()
        return self._members(names)

    def _members(self, names: set[str]) -> frozenset[str]:
        # A name shared by a municipality and the sub-prefecture around it (釧路, Rumoi, 日高) is read
        # as the larger place: an area read too large excludes less than one read too small.
        out: set[str] = set()
        for n in names:
            out |= self.places[n].members
        return frozenset(out)

    def find(self, text: str) -> list[tuple[str, frozenset[str]]]:
        """The places ``text`` names, in order: (the words as written, the municipalities)."""
        return [(w, m) for _, w, m, _ in self._find(_fold(text))]

    def _find(self, t: str) -> list[tuple[int, str, frozenset[str], bool]]:
        """(start, words, municipalities, whether the words say "area": 十勝管内, Hiyama area) of
        the places in the folded text ``t``."""
        found: list[tuple[int, str, frozenset[str], bool]] = []
        for m in self._ja_pattern.finditer(t):
            found.append((m.start(), m.group(0), self._members(self._ja[m.group(0)]),
                          bool(_JA_AREA.match(t, m.end()) or _JA_AREA.search(m.group(0)))))
        if re.search(r"[A-Z]", t):
            for m in self._en_pattern.finditer(t):
                found.append((m.start(), m.group(0), self._members(self._en[m.group(0)]),
                              bool(_EN_AREA.match(t, m.end()) or _EN_AREA_IN.search(m.group(0)))))
        starts = {f[0] for f in found}
        for m in self._en_lower_pattern.finditer(t.lower()) if self._en_lower_pattern else ():
            if m.start() not in starts:
                found.append((m.start(), t[m.start():m.end()], self._members(self._en_lower[m.group(0)]), True))
        return sorted(found, key=lambda f: f[0])

    def named_area(self, text: str, explicit_only: bool = False) -> tuple[list[str], frozenset[str]]:
        """(the place words, the municipalities) a request names as where it wants to work; with
        ``explicit_only``, only places written as an area (十勝管内, 空知地方, "Hiyama area",
        "the Kamikawa region"), which a request with its own circle still means as a limit."""
        words: list[str] = []
        out: set[str] = set()
        for _, w, members, is_area in self._find(_fold(text)):
            if is_area or not explicit_only:
                words.append(w)
                out |= members
        return list(dict.fromkeys(words)), frozenset(out)

    def restricted_area(self, text: str) -> frozenset[str]:
        """The municipalities ``text`` limits itself to: the places named in clauses that say
        "only", "limited to", のみ, だけ, 限る … (empty: no restriction found)."""
        out: set[str] = set()
        low = (text or "").lower()
        if not any(w in low for w in _RESTRICTION_HINTS):  # most texts: no NFKC, no regex
            return frozenset()
        t = _fold(text)
        if not (_EN_ONLY.search(t) or _JA_ONLY.search(t)):
            return frozenset()
        for clause in _CLAUSE.split(t):
            if clause and (_EN_ONLY.search(clause) or _JA_ONLY.search(clause)):
                for _, members in self.find(clause):
                    out |= members
        return frozenset(out)

    def point(self, municipalities: frozenset[str]) -> tuple[float, float] | None:
        """The mean point of some municipalities (None for none)."""
        pts = [(self.places[m].lat, self.places[m].lon) for m in municipalities if m in self.places]
        if not pts:
            return None
        return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)

    def points(self, municipalities: frozenset[str]) -> list[tuple[float, float]]:
        """The points of some municipalities (their offices)."""
        return [(self.places[m].lat, self.places[m].lon) for m in sorted(municipalities) if m in self.places]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (lat, lon) points in km."""
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The shipped gazetteer (loaded once per process)."""
    return Gazetteer()
