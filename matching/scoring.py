"""Score weights and per-query records shared by the index: Weights, Filters, QueryContext."""
from __future__ import annotations

import functools
import logging
import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .analyzer import Analysis
from .normalize import nfkc_lower
from .schema import Candidate, Query

logger = logging.getLogger(__name__)

# Phrases saying that an organisation works anywhere in Hokkaido (its office place then does not
# matter). Compared with the NFKC/lower-cased text before synonym rewriting.
WIDE_AREA_MARKERS = (
    "道内全域", "道内各地", "全道", "北海道全域", "北海道内全域", "全国", "出張対応", "出張",
    "all over hokkaido", "across hokkaido", "throughout hokkaido", "anywhere in hokkaido",
    "nationwide", "customers' sites", "customer sites", "on site at", "on-site",
)


@dataclass(frozen=True)
class Weights:
    """Weights of the score components for ranking (any scale; they are renormalised over the
    components present for a query, e.g. no ``geo`` without a point).

    ``support`` counts only for queries that name the support they want (share of it the candidate
    gives). ``partial_period_factor`` multiplies the score of a site that is available for only part of
    the wanted period; ``rerank_depth`` is how many text candidates get the full scorer.
    """

    text: float = 0.50
    fuzzy: float = 0.05
    tags: float = 0.20
    geo: float = 0.15
    period: float = 0.10
    support: float = 0.10
    setting: float = 0.15  # share of the query's setting/object words (sea, paddy, cattle …) the candidate names
    partial_period_factor: float = 0.6
    exclusion_factor: float = 0.3  # the candidate's text excludes something the query asks for
    # Relevance first: with a point, a period or support wanted, a candidate whose text cosine
    # (place names left out) is below the floor is a weak match, ranked after the real ones.
    relevance_floor: float = 0.05
    weak_factor: float = 0.5
    setting_factor: float = 0.6  # the candidate names only a setting/object contradicting the query's
    rerank_depth: int = 100


# Every marker contains one of these; a text whose NFKC/case-folded form contains none of them
# cannot contain a marker after the full normalisation either (which only unifies punctuation and
# spaces), so most texts are answered without it.
_WIDE_AREA_ANCHORS = ("道", "国", "出", "hokkaido", "nationwide", "site")


def is_wide_area(c: Candidate) -> bool:
    """Whether the description says the organisation works all over Hokkaido."""
    return _says_wide_area(c.name + " " + c.text)


# Indexes built per query from stored analyses meet the same candidates again and again: their
# answer is kept, by text (normalising it was a fifth of building a matcher's index of 400
# candidates, about 10 microseconds a text; looking it up, about one). At most a few MB of texts.
WIDE_AREA_KEPT = 8_192


@functools.lru_cache(maxsize=WIDE_AREA_KEPT)
def _says_wide_area(raw: str) -> bool:
    quick = unicodedata.normalize("NFKC", raw).casefold()
    if not any(a in quick for a in _WIDE_AREA_ANCHORS):
        return False
    text = nfkc_lower(raw)
    return any(m in text for m in WIDE_AREA_MARKERS)


# The markers that name the whole of Hokkaido or Japan (not only travel, 出張, on-site work): a text
# with one of them is not bound to an area it names elsewhere with "only".
_ALL_HOKKAIDO = ("道内全域", "道内各地", "全道", "北海道全域", "北海道内全域", "全国", "all over hokkaido",
                 "across hokkaido", "throughout hokkaido", "anywhere in hokkaido", "nationwide")


def says_all_hokkaido(c: Candidate) -> bool:
    """Whether the description says the organisation works all over Hokkaido (or Japan)."""
    text = nfkc_lower(c.name + " " + c.text)
    return any(m in text for m in _ALL_HOKKAIDO)


def term_weight(tf: float) -> float:
    """Sub-linear term frequency (1 + ln tf above 1; glosses below 1 keep their weight)."""
    return 1.0 + math.log(tf) if tf > 1.0 else tf


@dataclass
class Filters:
    """Hard-filter result for one query: allowed mask, distances, period overlap (or None)."""

    allowed: np.ndarray
    dist: np.ndarray | None
    overlap: np.ndarray | None
    full: np.ndarray | None
    query_area: list[str] | None = None  # the places the query names as its area


@dataclass
class QueryContext:
    """A query analysed against one index (term ids, weights, tag terms)."""

    query: Query
    analysis: Analysis
    ids: np.ndarray
    weights: np.ndarray
    tag_terms: list[tuple[str, set[str]]]
    wakati: str
    corrections: list[tuple[str, str]] = field(default_factory=list)
    side: Any = None  # the query's evidence Side, made on first use
    term_mask: np.ndarray | None = None  # the query's term ids as a mask over the vocabulary, on first use
    place_ids: np.ndarray | None = None  # the query's place-name term ids and weights, on first use
    place_weights: np.ndarray | None = None
    settings: frozenset[str] = frozenset()  # the setting/object groups the query names


