"""Home, dashboard, language and health."""
from __future__ import annotations

from flask import current_app, make_response, render_template
from flask_login import current_user, login_required

from app.core.i18n import LANG_COOKIE, supported
from app.web.health import health_problems
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
    """503 with the reason unless the database answers, its schema is at the migration head and
    the upload folder is writable (checked without creating anything: a missing SQLite file stays missing)."""
    problems = health_problems()
    if problems:
        current_app.logger.error("health check failed: %s", "; ".join(problems))
        return {"status": "error", "problems": problems}, 503
    return {"status": "ok", "database": "ok", "schema": "head", "uploads": "writable"}
