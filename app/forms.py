"""Forms shared by every blueprint."""
from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """An empty form for POST-only buttons, so every state change carries a CSRF token."""
