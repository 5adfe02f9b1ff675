"""The `kpis` blueprint; the view modules add their routes to it."""
from flask import Blueprint

bp = Blueprint("kpis", __name__, url_prefix="/kpis")
