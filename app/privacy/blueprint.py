"""The `privacy` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
