"""The JSON API under /api/v1/ (personal access tokens, RFC 9457 problems, OpenAPI 3.1), and the
account page where users keep their tokens.

`bp` is the API itself: it accepts only `Authorization: Bearer` tokens, never the session cookie,
so it is exempt from CSRF. `pages` holds the HTML pages: the token page and the API reference.
Every resource module calls the same services and visibility scopes as the domain's pages.
"""
from flask import Flask

from . import (  # noqa: F401  (view modules: importing them adds their operations to `bp`)
    auth,
    groups,
    introductions,
    kpis,
    matches,
    me,
    needs,
    openapi,
    organisations,
    problems,
    token_routes,
    trial_requests,
    trial_sites,
)
from .blueprint import bp, pages


def register(app: Flask) -> None:
    """Add the API and its pages (the token page is linked from the account menu in base.html)."""
    app.register_blueprint(bp)
    app.register_blueprint(pages)
