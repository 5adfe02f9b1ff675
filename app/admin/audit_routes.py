"""The audit log page (監査ログ) for the secretariat and administrators: filters, pages, CSV export."""
from __future__ import annotations

from flask import Response, render_template, request

from app.permissions import staff_required
from app.web.csvfiles import write_csv
from app.web.pagination import paginate

from .audit_queries import EXPORT_HEADER, actions, audit_entries, details_text, export_rows, object_types
from .blueprint import bp
from .forms import AuditFilterForm


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.object_type.choices = [("", "—"), *((t, t) for t in object_types())]
    form.action.choices = [("", "—"), *((a, a) for a in actions())]
    form.validate()
    return form


@bp.route("/audit")
@staff_required
def audit_log():
    form = _filter_form()
    page = paginate(audit_entries(form.query()))
    return render_template("admin/audit_log.html", form=form, page=page, details_text=details_text)


@bp.route("/audit.csv")
@staff_required
def audit_csv():
    form = _filter_form()
    data = write_csv(EXPORT_HEADER, export_rows(form.query()))
    return Response(data, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
