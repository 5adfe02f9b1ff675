"""Regulatory-need intake (規制緩和ニーズ): submission, pipeline, catalogue and proposal packages."""
from flask import Blueprint

bp = Blueprint("needs", __name__, url_prefix="/needs")

from . import routes, manage, packages_views, providers  # noqa: E402,F401


@bp.context_processor
def _labels():
    from .labels import label_context

    return label_context()
