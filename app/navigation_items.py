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
    navigation.add("groups.index", _l("Working groups"), EVERYONE, order=20)
    navigation.add("groups.activity", _l("Working-group activity"), *STAFF, order=40, section="manage")
    navigation.add("auth.register", _l("Register"), ANONYMOUS, order=98)
