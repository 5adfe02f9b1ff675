"""Privacy (APPI, 個人情報保護法): a person downloads their personal data and deletes their account."""
from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from . import routes  # noqa: E402,F401
