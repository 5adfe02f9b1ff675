"""Working groups (部会・分科会): public list, membership, meetings, minutes, attachments, calendars."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")

from . import calendar, dashboard, manage, meetings, membership, routes  # noqa: E402,F401
