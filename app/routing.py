"""Routing of work items (regulatory needs, trial requests, ...) to working groups (部会).

The association lives on each item (a nullable `group_id` to `working_groups.id`). A domain that
can be routed registers a provider here; the group page lists what every provider returns, so the
groups domain never imports the domains that route to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class AssignedItem:
    """One item routed to a group, as the group page shows it."""

    kind: str  # translated label of the kind, e.g. "規制緩和ニーズ"
    title: str
    url: str
    status: str  # translated status label


@dataclass(frozen=True)
class AssignedSection:
    """The items of one kind routed to a group: how many the viewer may see, the first few, and where the rest are."""

    kind: str
    total: int
    items: list[AssignedItem]
    url: str  # the full list, filtered to the group


ASSIGNED_SHOWN = 10  # items of each kind on the group page

PROVIDERS: list[Callable] = []


def assignment_provider(provider: Callable) -> Callable:
    """Decorator: register `provider(group, user, limit) -> AssignedSection | None` (None: nothing to show)."""
    PROVIDERS.append(provider)
    return provider


def items_assigned_to(group, user, limit: int = ASSIGNED_SHOWN) -> list[AssignedSection]:
    sections = (provider(group, user, limit) for provider in PROVIDERS)
    return [section for section in sections if section is not None and section.total]
