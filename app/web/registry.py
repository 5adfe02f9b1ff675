"""What the domains contribute to shared pages, held by the app: navigation entries, dashboard panels,
the work items routed to a working group (部会), and what a page of one domain shows from a domain
built on it (the trial request page lists its introductions).

Each domain's `register(app)` adds its part (`registry_of(app).panels.append(...)`); shared pages
read `registry()`, so the groups and main domains never import the domains that feed them. The
registry lives in `app.extensions`, so two apps in one process (tests) never share entries.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import Flask, current_app

from .navigation import Navigation

EXTENSION_KEY = "thinkdo_registry"


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


@dataclass
class Panel:
    """A box on the dashboard: a title, lines of (label, url) or (label, url, status) and an optional count."""

    title: str
    links: list[tuple[str, ...]] = field(default_factory=list)
    count: int | None = None
    order: int = 50


@dataclass
class Registry:
    navigation: Navigation = field(default_factory=Navigation)
    panels: list[Callable] = field(default_factory=list)  # provider(user) -> Panel | None
    # provider(group, user, limit) -> AssignedSection: a count and the first `limit` items of one kind
    group_items: list[Callable] = field(default_factory=list)
    # page name -> providers(user, obj) -> dict of template values a lower domain's page shows from a higher one
    page_context: dict[str, list[Callable]] = field(default_factory=dict)

    def dashboard_panels(self, user) -> list[Panel]:
        panels = [p for p in (provider(user) for provider in self.panels) if p is not None]
        return sorted(panels, key=lambda p: p.order)

    def items_assigned_to(self, group, user, limit: int = ASSIGNED_SHOWN) -> list[AssignedSection]:
        sections = (provider(group, user, limit) for provider in self.group_items)
        return [section for section in sections if section is not None and section.total]


    def add_page_context(self, page: str, provider: Callable) -> None:
        self.page_context.setdefault(page, []).append(provider)

    def context_for(self, page: str, user, obj) -> dict:
        values: dict = {}
        for provider in self.page_context.get(page, []):
            values.update(provider(user, obj))
        return values


def init_registry(app: Flask) -> Registry:
    app.extensions[EXTENSION_KEY] = Registry()
    return app.extensions[EXTENSION_KEY]


def registry_of(app: Flask) -> Registry:
    return app.extensions[EXTENSION_KEY]


def registry() -> Registry:
    """The registry of the app handling the current request."""
    return registry_of(current_app)
