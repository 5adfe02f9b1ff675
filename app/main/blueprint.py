"""The `main` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("main", __name__)
