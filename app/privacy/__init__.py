"""Privacy (APPI, 個人情報保護法): a person downloads their personal data and deletes their account."""
from flask import Flask

from . import routes  # noqa: F401  (view modules: importing them adds their routes to `bp`)
from .blueprint import bp


def register(app: Flask) -> None:
    """Add the privacy blueprint (reached from the account menu, not the navigation)."""
    app.register_blueprint(bp)
