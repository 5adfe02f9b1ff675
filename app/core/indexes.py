"""Building the matching library's indexes inside the app: with the secretariat's synonyms, and in the
request's own process (a gunicorn worker never forks analysis processes for a page)."""
from __future__ import annotations

from typing import Iterable

from matching import Candidate, Index
from matching.needs import NeedIndex

from .synonyms import matching_analyzer


def build_index(candidates: Iterable[Candidate]) -> Index:
    return Index.build(candidates, analyzer=matching_analyzer(), workers=1)


def build_need_index(needs: Iterable[Candidate]) -> NeedIndex:
    return NeedIndex.build(needs, analyzer=matching_analyzer(), workers=1)
