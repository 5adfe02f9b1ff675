"""Members (会員): organisations, membership applications, profiles, colleagues, directory, governance and dues."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import ANONYMOUS, EVERYONE, STAFF
from app.web.registry import registry_of
from models import Role

from . import (  # noqa: F401  (view modules: importing them adds their routes to `bp`)
    colleague_routes,
    data_manage,
    dues_manage,
    manage,
    routes,
)
from .blueprint import bp
from .panels import membership_panel


def register(app: Flask) -> None:
    """Add the members blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("members.directory_page", _l("Member directory"), *STAFF, Role.MEMBER, order=10)
    registry.navigation.add("members.public_list", _l("Our members"), ANONYMOUS, Role.APPLICANT, order=10)
    registry.navigation.add("members.apply", _l("Membership"), Role.APPLICANT, order=11)
    registry.navigation.add("members.governance", _l("Governance"), EVERYONE, order=80)
    registry.navigation.add("members.applications", _l("Membership applications"), *STAFF, order=20, section="manage")
    registry.navigation.add("members.dues", _l("Dues"), *STAFF, order=21, section="manage")
    registry.navigation.add("members.mix", _l("Membership mix"), *STAFF, order=22, section="manage")
    registry.navigation.add("members.offices", _l("Offices"), *STAFF, order=23, section="manage")
    registry.navigation.add("members.import_page", _l("Import organisations"), *STAFF, order=24, section="manage")
    registry.panels.append(membership_panel)
