"""Error pages for 400/403/404/409/413/429/500/503 in both languages; RFC 9457 problem documents for the JSON API.

500 and 503 pages are rendered without the database (no account, no menu, no context processors),
so they work when the database is what failed; every error page shows the request id to quote.
"""
from __future__ import annotations

import logging

import json

from flask import Flask, Response, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from app.permissions import Refused
from models import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. If you were sending a form, reload the page and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Not found"), _l("The page you asked for does not exist or is not visible to you.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Changed at the same time"), _l("Someone else saved a conflicting change at the same moment. Nothing of yours was saved twice; please reload the page and check.")),
    413: (_l("File too large"), _l("The file or form you sent is larger than the limit.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. The secretariat has been told; please try again later.")),
    503: (_l("Temporarily unavailable"), _l("The platform cannot reach its database just now. Please try again in a minute.")),
}
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/")


API_PREFIX = "/api/v1/"
PROBLEM_TYPE = "application/problem+json"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(code: int, detail: str | None = None, *, title: str | None = None, type_: str = "about:blank",
                     headers: dict | None = None, **extra) -> Response:
    """An RFC 9457 problem document: type, title, status, detail, instance, and any `extra` members."""
    default_title, default_detail = MESSAGES.get(code, MESSAGES[500])
    body = {"type": type_, "title": title or str(default_title), "status": code,
            "detail": detail or str(default_detail), "instance": request.path, **extra}
    response = Response(json.dumps(body, ensure_ascii=False), status=code, mimetype=PROBLEM_TYPE)
    response.headers.update(headers or {})
    return response


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if is_api_request():
        return problem_response(code, detail)
    if request.accept_mimetypes.best == "application/json":
        return {"error": str(title), "message": detail or str(message), "request_id": g.get("request_id", "")}, code
    if code >= 500:
        return render_plain(code, title, detail or message), code
    try:
        return render_template("errors/error.html", code=code, title=title, message=detail or message,
                               request_id=g.get("request_id", "")), code
    except DATABASE_DOWN:  # the page's header needs the account; show the page that does not
        _forget_database()
        return render_plain(code, title, detail or message), code


def render_plain(code: int, title, message) -> str:
    """The error page from the template alone: no context processors, no account, no database."""
    template = current_app.jinja_env.get_template("errors/plain.html")
    return template.render(code=code, title=title, message=message, request_id=g.get("request_id", ""),
                           locale=str(get_locale() or "ja"), request=request)


def _forget_database() -> None:
    g.database_unavailable = True
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool drops it
        log.debug("rollback after a database failure failed too", exc_info=True)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(400, str(_l("The form had expired or was missing its security token. Your input was not saved; please reload the page and try again.")))

    @app.errorhandler(Refused)
    def _refused(error: Refused):
        return render_error(error.status, error.message or None)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 400 and error.description == "control-characters":
            return render_error(400, str(_l("The text you sent contains control characters (such as NUL) that cannot be stored. Remove them (they often come from copying out of other programs) and send it again.")))
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(StaleDataError)
    def _stale(error: StaleDataError):
        # Two saves of one row at the same moment: the version column refused the second.
        db.session.rollback()
        log.warning("concurrent update refused on %s: %s", request.path, error)
        return render_error(409)

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError):
        # Two requests raced for one unique row (e.g. two open membership applications): the
        # database refused the second; it is a conflict to show, not a server error.
        db.session.rollback()
        log.warning("integrity conflict on %s: %s", request.path, error.orig)
        return render_error(409)

    for database_error in DATABASE_DOWN:
        @app.errorhandler(database_error)
        def _database_down(error: Exception):
            _forget_database()
            log.error("database unavailable on %s: %s", request.path, str(error).splitlines()[0][:300])
            body, code = render_error(503)
            return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        try:
            db.session.rollback()
        except Exception:  # a broken connection: the pool drops it
            g.database_unavailable = True
        log.exception("unhandled error on %s", request.path)
        return render_error(500)
