"""The `introductions` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("introductions", __name__, url_prefix="/introductions")
