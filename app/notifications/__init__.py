"""In-app notifications: the list page, unread count and marking as read."""
from flask import Flask
from flask_login import current_user

from . import routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp
from .services import unread_count


def register(app: Flask) -> None:
    """Add the notifications blueprint and its entries in the navigation and shared pages."""
    app.register_blueprint(bp)

    @app.context_processor
    def _unread_notifications():
        return {"unread_notifications": unread_count(current_user) if current_user.is_authenticated else 0}
