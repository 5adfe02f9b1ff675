"""The `api` blueprint (JSON under /api/v1, bearer tokens only) and `api_pages` (the token and reference pages)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
pages = Blueprint("api_pages", __name__)
