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


PROVIDERS: list[Callable] = []


def assignment_provider(provider: Callable) -> Callable:
    """Decorator: register `provider(group, user) -> list[AssignedItem]`."""
    PROVIDERS.append(provider)
    return provider


def items_assigned_to(group, user) -> list[AssignedItem]:
    items: list[AssignedItem] = []
    for provider in PROVIDERS:
        items.extend(provider(group, user))
    return items
