"""Directory search: rank organisations' plain fields against a query, Japanese-aware and fuzzy.

The one seam for the directory's search: `rank(query, records)` takes plain records (no ORM) and
returns ranked ids with what matched, so the implementation can be swapped for the `matching`
library's index without touching the views.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

log = logging.getLogger(__name__)

# Field weights: a hit in the name counts more than one in a long description.
FIELD_WEIGHTS = {"name": 1.0, "tags": 0.9, "capabilities": 0.8, "municipality": 0.8, "sector": 0.7, "description": 0.6}
FUZZY_CUTOFF = 80.0
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


@dataclass(frozen=True)
class SearchRecord:
    """One organisation as plain text fields: name, tags, capabilities, municipality, sector, description."""

    id: int
    fields: dict[str, str]


@dataclass
class Hit:
    id: int
    score: float
    matched: list[str] = field(default_factory=list)  # field names, best first


def normalise(text: str) -> str:
    """NFKC (full-width → half-width, half-width kana → full-width), lower case, katakana folded to hiragana."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.translate(_KATAKANA_TO_HIRAGANA)
    return " ".join(text.split())


def _field_score(terms: list[str], text: str) -> float:
    """Every term must match (exactly as a substring, or fuzzily); the field scores the weakest term."""
    if not text:
        return 0.0
    worst = 100.0
    for term in terms:
        if term in text:
            continue
        # Short terms only match exactly: fuzzy two-character matches are noise in Japanese.
        score = fuzz.partial_ratio(term, text, score_cutoff=FUZZY_CUTOFF) if len(term) >= 3 else 0.0
        if not score:
            return 0.0
        worst = min(worst, score * 0.9)
    return worst


def rank(query: str, records: list[SearchRecord], limit: int | None = None) -> list[Hit]:
    """Records matching every word of `query` (in any one field, or spread over fields), best first."""
    terms = normalise(query).split()
    if not terms:
        return []
    hits: list[Hit] = []
    for record in records:
        texts = {name: normalise(value) for name, value in record.fields.items()}
        per_field = {name: _field_score(terms, text) * FIELD_WEIGHTS.get(name, 0.5) for name, text in texts.items()}
        best = max(per_field.values(), default=0.0)
        if not best:
            # The words may be spread over fields ("ドローン 岩見沢"): score the record's whole text.
            best = _field_score(terms, " ".join(texts.values())) * 0.5
            per_field = {name: float(any(t in text for t in terms)) for name, text in texts.items()}
        if best:
            matched = sorted((name for name, score in per_field.items() if score), key=lambda n: -per_field[n])
            hits.append(Hit(id=record.id, score=round(best, 1), matched=matched))
    hits.sort(key=lambda hit: (-hit.score, hit.id))
    return hits[:limit] if limit else hits
