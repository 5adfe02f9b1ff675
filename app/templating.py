"""Template globals and filters: navigation, unread count, language, dates in Asia/Tokyo."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .forms import ActionForm
from .markdown import render_markdown
from .navigation import navigation


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _globals():
        from .notifications.services import unread_count

        user = current_user
        return {
            "nav_items": navigation.for_user(user),
            "manage_items": navigation.for_user(user, section="manage"),
            "unread_notifications": unread_count(user) if user.is_authenticated else 0,
            "current_locale": str(get_locale() or "ja"),
            "language_form": ActionForm(formdata=None),
            "current_path": request.full_path.rstrip("?") if request else "/",
        }

    @app.template_filter("local_datetime")
    def _local_datetime(value: datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        return format_datetime(value, fmt)

    @app.template_filter("local_date")
    def _local_date(value: date | datetime | None, fmt: str = "medium") -> str:
        if value is None:
            return ""
        return format_date(value, fmt)

    app.add_template_filter(render_markdown, "markdown")

    @app.template_global()
    def localized(obj, attr: str = "name") -> str:
        """obj.name_en in English when it has one, else obj.name_ja."""
        locale = str(get_locale() or "ja")
        english = getattr(obj, f"{attr}_en", "") or ""
        return english if locale == "en" and english else getattr(obj, f"{attr}_ja", "")
