"""The JSON API under /api/v1/ (personal access tokens, RFC 9457 problems, OpenAPI 3.1), and the
account page where users keep their tokens.

`bp` is the API itself: it accepts only `Authorization: Bearer` tokens, never the session cookie,
so it is exempt from CSRF. `pages` holds the HTML pages: the token page and the API reference.
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
pages = Blueprint("api_pages", __name__)

from . import (  # noqa: E402,F401
    auth, groups, introductions, matches, me, needs, openapi, organisations, problems, token_routes, trial_requests,
    trial_sites,
)
