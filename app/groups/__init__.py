"""Working groups (部会・分科会): public list, membership, meetings, minutes, attachments, calendars."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")


@bp.app_template_filter("local_time")
def local_time(value) -> str:
    """The time of day of an aware datetime, in Asia/Tokyo (e.g. a meeting's end)."""
    from flask_babel import format_time

    return format_time(value, "short") if value is not None else ""


from . import calendar, dashboard, manage, meetings, membership, routes  # noqa: E402,F401
