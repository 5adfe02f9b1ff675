"""The `trials` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("trials", __name__, url_prefix="/trials")
