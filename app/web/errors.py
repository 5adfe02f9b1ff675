"""Error pages for 400/403/404/413/429/500 in both languages; RFC 9457 problem documents for the JSON API."""
from __future__ import annotations

import logging

import json

from flask import Flask, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.permissions import Refused
from models import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. If you were sending a form, reload the page and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Not found"), _l("The page you asked for does not exist or is not visible to you.")),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The file or form you sent is larger than the limit.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. The secretariat has been told; please try again later.")),
}


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
        return {"error": str(title), "message": detail or str(message)}, code
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return render_error(400, str(_l("The form had expired or was missing its security token. Your input was not saved; please reload the page and try again.")))

    @app.errorhandler(Refused)
    def _refused(error: Refused):
        return render_error(error.status, error.message or None)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code in MESSAGES:
            return render_error(error.code)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s", request.path)
        return render_error(500)
