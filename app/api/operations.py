"""Declaring an API operation once: route, access, parameters and schemas. The same declaration
validates the request, serialises the answer and writes the OpenAPI document (app/api/openapi.py)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Callable
from urllib.parse import urlencode

from flask import Response, current_app, request
from pydantic import BaseModel

from app.web.loaders import MAX_ID
from models import db

from .auth import PUBLIC, require_access
from .blueprint import bp
from .idempotency import create_once
from .problems import ApiProblem, invalid

log = logging.getLogger(__name__)

FLASK_PARAM = re.compile(r"<int:(\w+)>")


@dataclass
class Operation:
    rule: str  # the Flask rule, e.g. /organisations/<int:organisation_id>
    method: str
    endpoint: str
    summary: str
    description: str
    tag: str
    access: str
    query: type[BaseModel] | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    idempotent_create: bool = False
    path_params: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        """The OpenAPI path: /organisations/{organisation_id}."""
        return FLASK_PARAM.sub(r"{\1}", self.rule)


OPERATIONS: list[Operation] = []


def operation(rule: str, *, method: str = "GET", summary: str, tag: str, access: str, response: type[BaseModel] | None,
              query: type[BaseModel] | None = None, body: type[BaseModel] | None = None, status: int = 200,
              errors: tuple[int, ...] = (), description: str = "", idempotent_create: bool = False) -> Callable:
    """Register `view` at `rule`. The view gets the path ids and, when declared, `query=` and `body=`
    as validated models, and returns a `response` model (or None for 204)."""

    def decorator(view: Callable) -> Callable:
        op = Operation(rule, method, view.__name__, summary, description or (view.__doc__ or "").strip(), tag, access,
                       query, body, response, status, errors, idempotent_create, FLASK_PARAM.findall(rule))

        @wraps(view)
        def wrapped(**ids: int) -> Response:
            if any(not 0 < value <= MAX_ID for value in ids.values()):
                raise ApiProblem(404)
            require_access(access)
            kwargs: dict[str, Any] = dict(ids)
            if query is not None:
                kwargs["query"] = query.model_validate(request.args.to_dict())
            if body is not None:
                kwargs["body"] = body.model_validate(_json_body())
            if idempotent_create:
                return _create_once(view, kwargs, status)
            result = view(**kwargs)
            db.session.commit()  # a read commits nothing; the matcher stores its run, as its page does
            if result is None:
                return Response(status=204)
            return Response(result.model_dump_json(), status=status, mimetype="application/json")

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        OPERATIONS.append(op)
        return wrapped

    return decorator


def _create_once(view: Callable, kwargs: dict, status: int) -> Response:
    """A create: 201 with a Location header; with an Idempotency-Key, a repeat gets the first object (200)."""
    made: dict[str, BaseModel] = {}

    def create() -> str:
        made["result"] = view(**kwargs)
        return f"{request.path}/{made['result'].id}"

    outcome = create_once(create)
    if outcome.created:
        response = Response(made["result"].model_dump_json(), status=status, mimetype="application/json")
    else:
        endpoint, args = current_app.url_map.bind_to_environ(request.environ).match(outcome.url, method="GET")
        response = current_app.view_functions[endpoint](**args)
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = outcome.url
    return response


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise invalid([{"loc": ("body",), "msg": "The body must be a JSON object (Content-Type: application/json).",
                        "type": "json_object"}])
    return data


def next_link(page: int) -> str:
    """The same request's address with ?page= one further (absolute, for clients to follow as is)."""
    args = request.args.to_dict()
    args["page"] = str(page + 1)
    return f"{request.base_url}?{urlencode(args)}"


__all__ = ["OPERATIONS", "Operation", "PUBLIC", "operation", "next_link"]
