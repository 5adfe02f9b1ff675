"""KPIs, evaluation and the fiscal-year report (年度報告): indicators against targets, the evaluation sheet,
the secretariat's dashboard, each member organisation's own activity page and the public figures."""
from flask import Blueprint

bp = Blueprint("kpis", __name__, url_prefix="/kpis")

from . import manage, routes  # noqa: E402,F401
