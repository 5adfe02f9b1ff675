"""Introductions (引き合わせ): the secretariat's matcher pages and introductions for both sides."""
from flask import Blueprint

bp = Blueprint("introductions", __name__, url_prefix="/introductions")

from . import manage, routes  # noqa: E402,F401
from . import dashboard  # noqa: E402,F401
