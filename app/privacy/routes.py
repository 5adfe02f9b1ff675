"""The privacy page: what is kept, download one's data (JSON), delete one's account."""
from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.core.database import begin_write
from models import db

from .blueprint import bp
from .forms import DeleteAccountForm
from .services import PrivacyError, delete_account, export_personal_data


@bp.route("/")
@login_required
def index():
    return render_template("privacy/index.html", form=DeleteAccountForm())


@bp.route("/export.json")
@login_required
def export():
    begin_write()  # the export is recorded in the audit log
    data = export_personal_data(current_user._get_current_object())
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=my-personal-data.json"})


@bp.route("/delete", methods=["POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            delete_account(current_user._get_current_object(), form.password.data)
        except PrivacyError as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            logout_user()
            flash(_("Your account has been deleted. Thank you for taking part."), "success")
            return redirect(url_for("main.home"))
    return render_template("privacy/index.html", form=form), 400
