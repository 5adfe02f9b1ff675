"""Working groups (部会・分科会): public list, membership, meetings, minutes, attachments, calendars."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import EVERYONE, STAFF
from app.web.registry import registry_of

from . import (  # noqa: F401  (view modules: importing them adds their routes to `bp`)
    calendar_routes,
    manage,
    meeting_routes,
    membership_routes,
    routes,
)
from .blueprint import bp
from .panels import my_groups_panel


def register(app: Flask) -> None:
    """Add the groups blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("groups.index", _l("Working groups"), EVERYONE, order=20)
    registry.navigation.add("groups.activity", _l("Working-group activity"), *STAFF, order=40, section="manage")
    registry.panels.append(my_groups_panel)
