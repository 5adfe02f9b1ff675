"""The `needs` blueprint; the view modules add their routes to it."""
from flask import Blueprint

from .labels import label_context

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.context_processor
def _labels():
    return label_context()
