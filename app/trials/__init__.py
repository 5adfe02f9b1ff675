"""Field trials (実証実験): the trial-site catalogue, trial requests and regional challenges."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import EVERYONE, STAFF
from app.web.registry import registry_of
from models import Role

from . import (  # noqa: F401  (view modules: importing them adds their routes to `bp`)
    challenge_routes,
    routes,
    site_routes,
)
from .blueprint import bp
from .panels import trial_requests_for_group


def register(app: Flask) -> None:
    """Add the trials blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("trials.sites", _l("Trial sites"), EVERYONE, order=30)
    registry.navigation.add("trials.challenges", _l("Regional challenges"), EVERYONE, order=32)
    registry.navigation.add("trials.requests", _l("Field-trial requests"), Role.MEMBER, Role.APPLICANT, order=31)
    registry.navigation.add("trials.requests", _l("Field-trial requests"), *STAFF, order=30, section="manage")
    registry.group_items.append(trial_requests_for_group)
