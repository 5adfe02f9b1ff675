"""The account page where users create, see and revoke their personal access tokens."""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.web.forms import ActionForm
from app.web.loaders import get_visible_or_404
from models import ApiToken, TokenScope, db

from .blueprint import pages
from .forms import SHORT_SCOPE_LABELS, TokenForm
from .permissions import can_view_token, visible_tokens
from .token_services import create_token, revoke_token


def _page(form: TokenForm, secret: str | None = None, created: ApiToken | None = None):
    tokens = list(db.session.scalars(visible_tokens(current_user)))
    response = make_response(render_template("api/tokens.html", form=form, tokens=tokens, secret=secret, created=created,
                                             short_scope_labels=SHORT_SCOPE_LABELS, action_form=ActionForm()))
    response.headers["Cache-Control"] = "no-store"  # the page that shows a secret once is never cached
    return response


@pages.route("/account/tokens")
@login_required
def tokens():
    return _page(TokenForm())


@pages.route("/account/tokens", methods=["POST"])
@login_required
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form), 400
    token, secret = create_token(current_user, form.name.data, TokenScope(form.scope.data))
    db.session.commit()
    # Shown in this answer only (not through a redirect: the secret must not travel in the session cookie).
    return _page(TokenForm(formdata=None), secret=secret, created=token)


@pages.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = get_visible_or_404(ApiToken, token_id, current_user, can_view_token)
    revoke_token(current_user, token)
    db.session.commit()
    flash(_("The token \"%(name)s\" has been revoked. It no longer works.", name=token.name), "success")
    return redirect(url_for("api_pages.tokens"))
