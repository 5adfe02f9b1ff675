"""Trial-site catalogue pages: the public list and detail, and keeping sites (secretariat, owners)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.permissions import require
from app.web.loaders import get_or_404
from app.web.pagination import paginate
from models import SiteKind, TrialSite, db

from .blueprint import bp
from .forms import SiteForm
from .labels import SEASONS, SITE_KIND_LABELS
from .permissions import can_create_site, can_edit_site
from .site_services import create_site, search_sites, update_site


def _filters() -> dict[str, str]:
    args = {key: request.args.get(key, "").strip()[:100] for key in ("q", "kind", "municipality", "technology", "season")}
    if args["kind"] not in {k.value for k in SiteKind}:
        args["kind"] = ""
    if args["season"] not in SEASONS:
        args["season"] = ""
    return args


@bp.route("/sites")
def sites():
    filters = _filters()
    page = paginate(search_sites(**filters))
    return render_template("trials/sites.html", page=page, filters=filters, kind_labels=SITE_KIND_LABELS, seasons=SEASONS,
                           may_create=can_create_site(current_user))


@bp.route("/sites/<int:site_id>")
def site(site_id: int):
    site = get_or_404(TrialSite, site_id)
    return render_template("trials/site.html", site=site, kind_labels=SITE_KIND_LABELS,
                           may_edit=can_edit_site(current_user, site))


@bp.route("/sites/new", methods=["GET", "POST"])
@login_required
def new_site():
    require(can_create_site(current_user))
    form = SiteForm()
    if form.validate_on_submit():
        site = create_site(current_user, form.values())
        db.session.commit()
        flash(_("The site has been added."), "success")
        return redirect(url_for("trials.site", site_id=site.id))
    return render_template("trials/site_form.html", form=form, site=None)


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit_site(site_id: int):
    site = get_or_404(TrialSite, site_id)
    require(can_edit_site(current_user, site))
    form = SiteForm(obj=site) if request.method == "GET" else SiteForm()
    if request.method == "GET":
        form.kind.data = site.kind.value
        for entry, period in zip(form.periods.entries, site.periods):
            entry.form.start_month.data, entry.form.end_month.data = period.start_month, period.end_month
            entry.form.note.data = period.note
    if form.validate_on_submit():
        update_site(current_user, site, form.values())
        db.session.commit()
        flash(_("The site has been saved."), "success")
        return redirect(url_for("trials.site", site_id=site.id))
    return render_template("trials/site_form.html", form=form, site=site)
