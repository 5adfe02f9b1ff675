"""The navigation entries of every blueprint, registered once per process."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from models import Role

from .navigation import ANONYMOUS, EVERYONE, LOGGED_IN, STAFF, navigation

_registered = False


def register_navigation() -> None:
    global _registered
    if _registered:
        return
    _registered = True
    navigation.add("main.home", _l("Home"), EVERYONE, order=0)
    navigation.add("main.dashboard", _l("Dashboard"), *LOGGED_IN, order=1)
    navigation.add("admin.users", _l("Users"), Role.ADMIN, order=90, section="manage")
    navigation.add("auth.register", _l("Register"), ANONYMOUS, order=98)
    navigation.add("trials.sites", _l("Trial sites"), EVERYONE, order=30)
    navigation.add("trials.challenges", _l("Regional challenges"), EVERYONE, order=32)
    navigation.add("trials.requests", _l("Field-trial requests"), Role.MEMBER, Role.APPLICANT, order=31)
    navigation.add("introductions.index", _l("Introductions"), Role.MEMBER, Role.APPLICANT, order=33)
    navigation.add("trials.requests", _l("Field-trial requests"), *STAFF, order=30, section="manage")
    navigation.add("introductions.index", _l("Introductions"), *STAFF, order=31, section="manage")
