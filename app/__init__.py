"""The application factory: configuration, extensions, then every domain, templates and hooks."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from app import admin, api, auth, groups, introductions, main, members, needs, notifications, trials
from app.auth.sessions import load_user
from app.cli import register_commands
from app.core.config import PROJECT_ROOT, Config, config_from_environment
from app.core.database import configure_engine
from app.core.extensions import babel, csrf, login_manager, migrate
from app.core.i18n import select_locale, translation_directories
from app.web.errors import register_error_handlers
from app.web.registry import init_registry
from app.web.security import register_security_headers
from app.web.templating import register_template_helpers
from models import db

DOMAINS = (main, auth, notifications, admin, members, groups, needs, trials, introductions, api)


def create_app(config: Config | None = None, instance_path: str | None = None) -> Flask:
    """Build the app. `config` defaults to the environment's (see app/core/config.py)."""
    config = config or config_from_environment()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
        instance_path=instance_path,
        instance_relative_config=True,
    )
    config.finalise(Path(app.instance_path))
    app.config.from_object(config)

    register_logging(app)
    register_extensions(app)
    register_domains(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(p) for p in translation_directories())
    db.init_app(app)
    configure_engine(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def register_domains(app: Flask) -> None:
    """Every domain adds its blueprint and its entries in the shared registry, in menu order."""
    init_registry(app)
    for domain in DOMAINS:
        domain.register(app)
