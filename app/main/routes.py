"""Home, dashboard, language and health."""
from __future__ import annotations

from flask import current_app, make_response, render_template
from flask_login import current_user, login_required
from sqlalchemy import text

from app.core.i18n import LANG_COOKIE, supported
from app.web.redirects import redirect_next
from app.web.registry import registry
from models import db

from .blueprint import bp
from .forms import LanguageForm


@bp.route("/")
def home():
    return render_template("main/home.html")


@bp.route("/dashboard")
@login_required
def dashboard():
    return render_template("main/dashboard.html", panels=registry().dashboard_panels(current_user))


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    locale = (form.validate_on_submit() and supported(form.lang.data)) or current_app.config["BABEL_DEFAULT_LOCALE"]
    response = make_response(redirect_next("main.home"))
    response.set_cookie(
        LANG_COOKIE, locale, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any database failure makes the app unhealthy
        current_app.logger.exception("health check failed")
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
