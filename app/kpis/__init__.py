"""KPIs, evaluation and the fiscal-year report (年度報告): indicators against targets, the evaluation sheet,
the secretariat's dashboard, each member organisation's own activity page and the public figures."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from app.web.navigation import STAFF
from app.web.registry import registry_of
from models import Role

from . import manage, routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp
from .panels import kpis_panel


def register(app: Flask) -> None:
    """Add the KPI blueprint and its entries in the navigation."""
    app.register_blueprint(bp)
    registry = registry_of(app)
    registry.navigation.add("kpis.dashboard", _l("KPIs and annual report"), *STAFF, order=5, section="manage")
    registry.navigation.add("kpis.my_organisation", _l("Our activity"), Role.MEMBER, order=40)
    registry.panels.append(kpis_panel)
