"""Introductions (引き合わせ): the secretariat's matcher pages and introductions for both sides."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import STAFF
from app.web.registry import registry_of
from models import Role

from . import manage, routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp
from .panels import introductions_panel, trial_requests_panel
from .queries import introductions_for_request


def register(app: Flask) -> None:
    """Add the introductions blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("introductions.index", _l("Introductions"), Role.MEMBER, Role.APPLICANT, order=33)
    registry.navigation.add("introductions.index", _l("Introductions"), *STAFF, order=31, section="manage")
    registry.navigation.add("introductions.synonyms", _l("Matcher synonyms"), *STAFF, order=32, section="manage")
    registry.panels.append(introductions_panel)
    registry.panels.append(trial_requests_panel)
    registry.add_page_context("trial_request", introductions_for_request)
