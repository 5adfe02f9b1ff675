"""Template globals and filters: navigation, language, dates and times in Asia/Tokyo."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_login import current_user

from .forms import ActionForm
from .markdown import render_markdown
from .registry import registry


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def _globals():
        user = current_user
        navigation = registry().navigation
        return {
            "nav_items": navigation.for_user(user),
            "manage_items": navigation.for_user(user, section="manage"),
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

    @app.template_filter("local_time")
    def _local_time(value: datetime | None) -> str:
        """The time of day of an aware datetime, in Asia/Tokyo (e.g. a meeting's end)."""
        return format_time(value, "short") if value is not None else ""

    app.add_template_global(localized, "localized")


def localized(obj, attr: str = "name") -> str:
    """obj.name_en in English when it has one, else obj.name_ja (the same in templates and in code)."""
    locale = str(get_locale() or "ja")
    english = getattr(obj, f"{attr}_en", "") or ""
    return english if locale == "en" and english else getattr(obj, f"{attr}_ja", "")


def compile_templates(app: Flask) -> int:
    """Compile every template now (gunicorn's master, before it forks): each worker then inherits
    them instead of compiling each on its first request of the page. Returns how many."""
    names = app.jinja_env.list_templates(extensions=["html", "txt", "ics"])
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
