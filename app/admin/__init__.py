"""Administration: users, roles and account status (管理者)."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.registry import registry_of
from models import Role

from . import routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp


def register(app: Flask) -> None:
    """Add the admin blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("admin.users", _l("Users"), Role.ADMIN, order=90, section="manage")
