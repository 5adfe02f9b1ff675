"""Administration: users, roles and account status (管理者); the audit log (監査ログ)."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import audit_routes, routes  # noqa: E402,F401
