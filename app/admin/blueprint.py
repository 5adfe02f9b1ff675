"""The `admin` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
