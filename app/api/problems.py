"""Every refusal and error of the API as an RFC 9457 problem document (application/problem+json)."""
from __future__ import annotations

import logging

from flask_babel import gettext as _
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from app.permissions import Refused
from app.web.errors import problem_response
from models import db

from .blueprint import bp

log = logging.getLogger(__name__)


class ApiProblem(Exception):
    """A problem the API answers with: status, translated detail, optional extra members and headers."""

    def __init__(self, status: int, detail: str = "", *, headers: dict | None = None, type_: str = "about:blank",
                 **extra) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers, self.type_, self.extra = status, detail, headers or {}, type_, extra


def unauthorised(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'}, title=_("Authentication required"))


def invalid(errors: list[dict]) -> ApiProblem:
    """422 with one entry per invalid field: where (`field`, dotted) and pydantic's own message."""
    return ApiProblem(422, _("The request has invalid values. See \"errors\" for each field."),
                      type_="/api/reference#problem-validation", title=_("Invalid request"),
                      errors=[{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", ""),
                               "code": e.get("type", "")} for e in errors])


def conflict(detail: str) -> ApiProblem:
    """A state change that the rules do not allow from the current state."""
    return ApiProblem(409, detail, type_="/api/reference#problem-conflict", title=_("Not allowed in this state"))


@bp.errorhandler(ApiProblem)
def _problem(error: ApiProblem):
    db.session.rollback()
    extra = dict(error.extra)
    title = extra.pop("title", None)
    return problem_response(error.status, error.detail or None, title=title, type_=error.type_, headers=error.headers,
                            **extra)


@bp.errorhandler(ValidationError)
def _validation(error: ValidationError):
    return _problem(invalid(error.errors(include_url=False, include_input=False)))


@bp.errorhandler(Refused)
def _refused(error: Refused):
    db.session.rollback()
    return problem_response(error.status, error.message or None)


@bp.errorhandler(HTTPException)
def _http(error: HTTPException):
    return problem_response(error.code or 500)
