"""The `members` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("members", __name__, url_prefix="/members")
