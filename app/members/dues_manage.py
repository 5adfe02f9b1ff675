"""Secretariat pages: dues (会費) per fiscal year, the unpaid list and the CSV export."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.fiscal import current_fiscal_year
from app.members.dues_services import dues_of_year, invoice_year, record_due, totals
from app.permissions import staff_required
from app.web.csvfiles import write_csv
from app.web.forms import ActionForm
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from models import Due, DueStatus, db

from .blueprint import bp
from .forms import DueForm
from .services import MembershipError


def _year() -> int:
    value = request.args.get("year", type=int)
    return value if value and 2000 <= value <= 2100 else current_fiscal_year()


@bp.route("/manage/dues")
@staff_required
def dues():
    year, unpaid = _year(), request.args.get("unpaid") == "1"
    return render_template("members/manage/dues.html", year=year, unpaid=unpaid, page=paginate(dues_of_year(year, unpaid)),
                           totals=totals(year), action_form=ActionForm())


@bp.route("/manage/dues/invoice", methods=["POST"])
@staff_required
def invoice_dues():
    year = _year()
    created = invoice_year(current_user, year)
    db.session.commit()
    flash(_("%(count)s dues created for fiscal year %(year)s.", count=len(created), year=year), "success")
    return redirect(url_for("members.dues", year=year))


@bp.route("/manage/dues/<int:due_id>", methods=["GET", "POST"])
@staff_required
def edit_due(due_id: int):
    due = get_or_404(Due, due_id)
    form = DueForm(obj=due) if request.method == "GET" else DueForm()
    if request.method == "GET":
        form.status.data = due.status.value
    if form.validate_on_submit():
        try:
            record_due(current_user, due, status=DueStatus(form.status.data), paid_on=form.paid_on.data, note=form.note.data or "")
        except MembershipError as error:
            form.paid_on.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The due has been saved."), "success")
            return redirect(url_for("members.dues", year=due.fiscal_year))
    return render_template("members/manage/due.html", due=due, form=form)


@bp.route("/manage/dues.csv")
@staff_required
def dues_csv():
    year = _year()
    rows = [[d.fiscal_year, d.organisation.name_ja, d.tier.value, d.amount, d.status.value,
             d.paid_on.isoformat() if d.paid_on else "", d.note] for d in db.session.scalars(dues_of_year(year))]
    body = write_csv(["fiscal_year", "organisation", "tier", "amount", "status", "paid_on", "note"], rows)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=\"dues-{year}.csv\""})
