"""Members (会員): organisations, membership applications, profiles, colleagues, directory, governance and dues."""
from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/members")

from . import change_manage, change_routes, colleagues, manage, manage_data, manage_dues, panels, routes  # noqa: E402,F401
