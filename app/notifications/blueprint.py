"""The `notifications` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
