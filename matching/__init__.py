"""Fuzzy, explained matching for mixed Japanese/English text (実証実験 requests, sites, partners,
規制緩和ニーズ). Pure Python: no Flask, no ORM; see README.md for the design."""
from __future__ import annotations

import logging

from .analyzer import ANALYZER_VERSION, Analysis, Analyzer, StaleAnalysis, default_analyzer
from .index import CorpusStats, Index, load_tables
from .needs import NeedIndex, NeedWeights, Pair, group_pairs, similar_items
from .normalize import normalize
from .schema import Candidate, PairReasons, Query, Reasons, Result
from .scoring import Weights
from .synonyms import SynonymTable, load_synonyms

logger = logging.getLogger(__name__)

__all__ = [
    "ANALYZER_VERSION", "Analysis", "Analyzer", "Candidate", "CorpusStats", "Index", "NeedIndex", "NeedWeights",
    "Pair", "PairReasons", "Query", "Reasons", "Result", "StaleAnalysis", "SynonymTable", "Weights",
    "default_analyzer", "group_pairs", "load_synonyms", "load_tables", "normalize", "similar_items",
]
