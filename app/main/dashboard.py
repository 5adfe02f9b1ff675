"""Dashboard panels: each domain registers a function that returns its panel for a user (or None)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Panel:
    """A box on the dashboard: a title, lines of (label, url) or (label, url, status) and an optional count."""

    title: str
    links: list[tuple[str, ...]] = field(default_factory=list)
    count: int | None = None
    order: int = 50


PANEL_PROVIDERS: list[Callable] = []


def dashboard_panel(provider: Callable) -> Callable:
    """Decorator: register `provider(user) -> Panel | None`."""
    PANEL_PROVIDERS.append(provider)
    return provider


def dashboard_panels(user) -> list[Panel]:
    panels = [p for p in (provider(user) for provider in PANEL_PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.order)
