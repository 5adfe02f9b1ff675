"""The `auth` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
