"""Hostile or broken input gets a clear answer, never a 500: ids and numbers in range, no control characters.

- Path ids (`<int:...>`) are bounded to the database's integer range, so `/needs/99999999999999999999`
  is a 404 on both engines (PostgreSQL's INTEGER is 32-bit).
- `id_arg` / `year_arg` / `int_arg` read query numbers the same way: out of range is "absent";
  `search_words` reads a search box (?q=) the same way everywhere: trimmed, at most SEARCH_LENGTH.
- Control characters (NUL and the other C0 codes except tab and line breaks) in any query or form
  value are refused with a 400 page that says so; PostgreSQL cannot store NUL at all.
"""
from __future__ import annotations

import logging
import re

from flask import Flask, abort, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import ValidationError
from werkzeug.routing import IntegerConverter

log = logging.getLogger(__name__)

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER; SQLite's range is larger, so this bound fits both
MIN_YEAR, MAX_YEAR = 1900, 2200
SEARCH_LENGTH = 200  # characters of a search box that are searched for
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` that matches only ids a database column can hold (others are 404)."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        # Out of range is 404 at once: a rejected conversion would let the router answer 405 from a rule
        # of the same path with other methods.
        try:
            return super().to_python(value)
        except ValidationError:
            raise NotFound() from None


def valid_id(value: object) -> bool:
    return isinstance(value, int) and 0 < value <= MAX_ID


def int_arg(name: str, minimum: int, maximum: int) -> int | None:
    """An integer query argument within [minimum, maximum], else None (absent, not a number, out of range)."""
    value = request.args.get(name, type=int)
    if value is None or not minimum <= value <= maximum:
        return None
    return value


def id_arg(name: str) -> int | None:
    return int_arg(name, 1, MAX_ID)


def year_arg(name: str = "year") -> int | None:
    return int_arg(name, MIN_YEAR, MAX_YEAR)


def search_words(args, limit: int = SEARCH_LENGTH) -> str:
    """The search box's text (?q= of `args`: the request's args, or its form and args), trimmed."""
    return (args.get("q") or "").strip()[:limit]


def check_year(year: int) -> int:
    """A fiscal year taken from the path: outside MIN_YEAR..MAX_YEAR the page does not exist (404)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    return year


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def register_input_guards(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntegerConverter

    @app.before_request
    def _refuse_control_characters():
        if request.path.startswith("/api/"):
            return  # the JSON API validates its own input (422 problem documents)
        if any(has_control_characters(v) for v in (request.view_args or {}).values() if isinstance(v, str)):
            abort(404)
        values = [v for _, listed in request.args.lists() for v in listed]
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            values += [v for _, listed in request.form.lists() for v in listed]
        if any(has_control_characters(v) for v in values):
            log.info("refused control characters on %s", request.path)
            abort(400, description="control-characters")
