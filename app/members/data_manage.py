"""Secretariat pages: CSV import (preview, then all or nothing), directory export, the membership mix."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.members.import_services import (
    COLUMNS,
    discard_upload,
    export_directory,
    load_upload,
    preview_import,
    run_import,
    store_upload,
)
from app.members.mix_queries import BAR_WIDTH, membership_mix
from app.permissions import staff_required
from models import db

from .blueprint import bp
from .forms import ConfirmImportForm, ImportForm
from .permissions import visible_organisations

MAX_IMPORT_BYTES = 5 * 2**20


@bp.route("/manage/import", methods=["GET", "POST"])
@staff_required
def import_page():
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is larger than %(size)s MB.", size=MAX_IMPORT_BYTES // 2**20))
            return render_template("members/manage/import.html", form=form, columns=COLUMNS)
        preview = preview_import(data)
        upload = store_upload(data) if preview.ok else ""
        return render_template("members/manage/import_preview.html", preview=preview,
                               confirm_form=ConfirmImportForm(upload=upload), filename=form.file.data.filename)
    return render_template("members/manage/import.html", form=form, columns=COLUMNS)


@bp.route("/manage/import/confirm", methods=["POST"])
@staff_required
def import_confirm():
    form = ConfirmImportForm()
    data = load_upload(form.upload.data or "") if form.validate_on_submit() else None
    if data is None or not preview_import(data).ok:
        flash(_("The file could not be imported. Please upload it again."), "error")
        return redirect(url_for("members.import_page"))
    created = run_import(current_user, data)
    db.session.commit()
    discard_upload(form.upload.data)
    flash(_("%(count)s organisations imported.", count=len(created)), "success")
    return redirect(url_for("members.directory_page", status=""))


@bp.route("/manage/export.csv")
@staff_required
def export_csv():
    body = export_directory(visible_organisations(current_user))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=\"organisations.csv\"; filename*=UTF-8''organisations.csv"})


@bp.route("/manage/mix")
@staff_required
def mix():
    return render_template("members/manage/mix.html", mix=membership_mix(), bar_width=BAR_WIDTH)
