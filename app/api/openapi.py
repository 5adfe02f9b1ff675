"""The OpenAPI 3.1 document, built from the declared operations and their pydantic models (the same
models that validate requests), served at /api/v1/openapi.json and rendered as the reference page."""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from flask import Response, current_app, json, render_template
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .auth import PUBLIC, WRITE
from .blueprint import bp, pages
from .operations import OPERATIONS, Operation

log = logging.getLogger(__name__)

REF = "#/components/schemas/{model}"
API_VERSION = "1.0.0"

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document; `title` and `detail` follow Accept-Language (ja or en).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "errors": {"type": "array", "description": "For 422: one entry per invalid field.", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "code": {"type": "string"}}}},
    },
}

ERROR_TEXT = {
    401: "No token, or an unknown or revoked one.",
    403: "The token may only read, or its user may not do this.",
    404: "No such object, or one the caller may not see.",
    409: "Not allowed from the object's current state.",
    422: "Invalid parameters or body.",
    429: "Too many requests for this token; see Retry-After.",
}


def _models() -> list[tuple[type[BaseModel], str]]:
    wanted: dict[tuple[type[BaseModel], str], None] = {}
    for op in OPERATIONS:
        if op.body is not None:
            wanted[(op.body, "validation")] = None
        if op.query is not None:  # for the enums its parameters refer to
            wanted[(op.query, "validation")] = None
        if op.response is not None:
            wanted[(op.response, "serialization")] = None
    return list(wanted)


def _query_parameters(model: type[BaseModel]) -> list[dict]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema.get("properties", {}).items():
        description = prop.pop("description", "")
        prop.pop("title", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


def _problem(description: str, headers: dict | None = None) -> dict:
    answer: dict[str, Any] = {"description": description,
                              "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="Problem")}}}}
    if headers:
        answer["headers"] = headers
    return answer


def _operation(op: Operation, refs: dict) -> dict:
    doc: dict[str, Any] = {"operationId": op.endpoint, "summary": op.summary, "tags": [op.tag]}
    if op.description:
        doc["description"] = op.description
    doc["security"] = [{}, {"bearerToken": []}] if op.access == PUBLIC else [{"bearerToken": []}]
    params = [{"name": name, "in": "path", "required": True,
               "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}} for name in op.path_params]
    if op.query is not None:
        params += _query_parameters(op.query)
    if op.idempotent_create:
        params.append({"name": "Idempotency-Key", "in": "header", "required": False,
                       "description": "Send the same key again (e.g. after a timeout) to get the first answer instead of a second object.",
                       "schema": {"type": "string", "minLength": 1, "maxLength": 100, "pattern": "^[\\x21-\\x7e]+$"}})
    if params:
        doc["parameters"] = params
    if op.body is not None:
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": refs[(op.body, "validation")]}}}
    responses: dict[str, Any] = {}
    if op.idempotent_create:
        responses["200"] = {"description": "A repeat of an earlier request with the same Idempotency-Key: the object it made.",
                            "content": {"application/json": {"schema": refs[(op.response, "serialization")]}}}
    if op.response is None:
        responses[str(op.status)] = {"description": "Done."}
    else:
        responses[str(op.status)] = {"description": "OK" if op.status == 200 else "Created",
                                     "content": {"application/json": {"schema": refs[(op.response, "serialization")]}}}
        if op.idempotent_create:
            responses[str(op.status)]["headers"] = {"Location": {"description": "The new object's address.",
                                                                 "schema": {"type": "string"}}}
    codes = set(op.errors) | {401, 429}
    if op.access == WRITE:
        codes.add(403)
    if op.query is not None or op.body is not None:
        codes.add(422)
    if op.path_params:
        codes.add(404)
    retry = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
    for code in sorted(codes):
        responses[str(code)] = _problem(ERROR_TEXT[code], retry if code == 429 else None)
    doc["responses"] = responses
    return doc


@lru_cache(maxsize=1)
def _document(base_url: str) -> dict:
    refs, defs = models_json_schema(_models(), ref_template=REF)
    schemas = {**defs.get("$defs", {}), "Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, refs)
    tags = sorted({op.tag for op in OPERATIONS})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Think & Do Tank of Central Hokkaido API",
            "version": API_VERSION,
            "description": (
                "JSON API of the Think & Do Tank platform. Authenticate with a personal access token "
                "(account menu › API tokens) sent as `Authorization: Bearer <token>`; the session cookie is "
                "not accepted. Read tokens may only read. Each token may make a limited number of requests per "
                "minute (429 with Retry-After beyond). Lists are paginated: follow `next`. Errors are RFC 9457 "
                "problem documents in Japanese or English (Accept-Language). Objects the caller may not see "
                "answer 404."
            ),
        },
        "servers": [{"url": f"{base_url}/api/v1"}],
        "tags": [{"name": tag} for tag in tags],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer",
                                                "description": "A personal access token (tdt_...)."}},
        },
    }


def openapi_document() -> dict:
    return _document(current_app.config["BASE_URL"])


@bp.route("/openapi.json")
def openapi_json():
    return Response(json.dumps(openapi_document(), ensure_ascii=False), mimetype="application/json")


@pages.route("/api/reference")
def reference():
    """The API reference, rendered here from the same document (no CDN, no script)."""
    return render_template("api/reference.html", doc=openapi_document(), operations=_listing(openapi_document()))


@pages.app_template_global()
def type_of(schema: dict) -> str:
    """A JSON Schema's type in a few words, for the reference page."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(option) for option in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(json.dumps(value, ensure_ascii=False) for value in schema["enum"])
    if "const" in schema:
        return json.dumps(schema["const"], ensure_ascii=False)
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def _listing(doc: dict) -> list[tuple[str, list[tuple[str, str, dict]]]]:
    """(tag, [(method, path, operation)]) in the order the operations were declared."""
    by_tag: dict[str, list] = {}
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            by_tag.setdefault(op["tags"][0], []).append((method.upper(), path, op))
    return list(by_tag.items())
