"""Public home page, the dashboard, language switch and health check."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import EVERYONE, LOGGED_IN
from app.web.registry import registry_of

from . import routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp


def register(app: Flask) -> None:
    """Add the main blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("main.home", _l("Home"), EVERYONE, order=0)
    registry.navigation.add("main.dashboard", _l("Dashboard"), *LOGGED_IN, order=1)
