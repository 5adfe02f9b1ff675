"""Regulatory-need intake (規制緩和ニーズ): submission, pipeline, catalogue and proposal packages."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import EVERYONE, STAFF
from app.web.registry import registry_of

from . import manage, package_manage, routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp
from .panels import needs_panel, needs_routed_to_group


def register(app: Flask) -> None:
    """Add the needs blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("needs.index", _l("Regulatory needs"), EVERYONE, order=20)
    registry.navigation.add("needs.board", _l("Needs board"), *STAFF, order=20, section="manage")
    registry.navigation.add("needs.manage_list", _l("All needs"), *STAFF, order=21, section="manage")
    registry.navigation.add("needs.package_list", _l("Proposal packages"), *STAFF, order=22, section="manage")
    registry.navigation.add("needs.measures", _l("Special-measure catalogue"), *STAFF, order=23, section="manage")
    registry.panels.append(needs_panel)
    registry.group_items.append(needs_routed_to_group)
