"""The application factory."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from models import db

from .config import PROJECT_ROOT, Config, config_from_environment


def create_app(config: Config | None = None, instance_path: str | None = None) -> Flask:
    """Build the app. `config` defaults to the environment's (see app/config.py)."""
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
    register_blueprints(app)
    register_templates(app)
    register_hooks(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from .auth.sessions import load_user
    from .database import configure_engine
    from .extensions import babel, csrf, login_manager, migrate
    from .i18n import select_locale, translation_directories

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


def register_blueprints(app: Flask) -> None:
    from . import admin, auth, groups, introductions, kpis, main, members, needs, notifications, trials

    for module in (main, auth, notifications, admin, members, groups, needs, trials, introductions, kpis):
        app.register_blueprint(module.bp)
    from .navigation_items import register_navigation

    register_navigation()


def register_templates(app: Flask) -> None:
    from .templating import register_template_helpers

    register_template_helpers(app)


def register_hooks(app: Flask) -> None:
    from .cli import register_commands
    from .errors import register_error_handlers
    from .security import register_security_headers

    register_security_headers(app)
    register_error_handlers(app)
    register_commands(app)
