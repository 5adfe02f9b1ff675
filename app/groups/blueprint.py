"""The `groups` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("groups", __name__, url_prefix="/groups")
