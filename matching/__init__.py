"""Fuzzy, explained matching for mixed Japanese/English text (実証実験 requests, sites, partners,
規制緩和ニーズ). Pure Python: no Flask, no ORM; see README.md for the design."""
from __future__ import annotations

import logging

from .analyzer import Analyzer
from .index import Index, Weights
from .normalize import normalize
from .schema import Candidate, Query, Result
from .synonyms import SynonymTable, load_synonyms

logger = logging.getLogger(__name__)

__all__ = [
    "Analyzer", "Candidate", "Index", "Query", "Result", "SynonymTable", "Weights",
    "load_synonyms", "normalize",
]
