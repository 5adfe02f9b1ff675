"""Accounts: register, log in and out, change and reset passwords."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import ANONYMOUS
from app.web.registry import registry_of

from . import routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp


def register(app: Flask) -> None:
    """Add the auth blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("auth.register", _l("Register"), ANONYMOUS, order=98)
