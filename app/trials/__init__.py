"""Field trials (実証実験): the trial-site catalogue, trial requests and regional challenges."""
from flask import Blueprint

bp = Blueprint("trials", __name__, url_prefix="/trials")

from . import challenges, routes, sites  # noqa: E402,F401
from . import dashboard, routing  # noqa: E402,F401
