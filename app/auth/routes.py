"""Account pages. Each view: form, one service call, commit, flash, redirect."""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.core.net import client_address
from app.web.errors import render_error
from app.web.redirects import redirect_next
from models import db

from . import services
from .blueprint import bp
from .devices import device_nonce, remember_device
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=form.email.data,
                name=form.name.data,
                organisation_name=form.organisation_name.data,
                password=form.password.data,
                locale=request.cookies.get("lang", "ja") if request.cookies.get("lang") in ("ja", "en") else "ja",
            )
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect_next()
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        try:
            attempt = services.reserve_login_attempt(email, client_address(),
                                                     device_nonce(request, email, services.device_stamp(email)))
        except services.Throttled as throttled:
            db.session.rollback()
            response = make_response(render_error(429))
            response.headers["Retry-After"] = str(throttled.retry_after)
            return response
        device = attempt.device  # read before the commit: a concurrent login may delete the row
        db.session.commit()  # release the lock before the deliberately slow password check
        user = services.complete_login(email, device, form.password.data)
        db.session.commit()
        if user is None:
            form.password.errors.append(_("The e-mail address or the password is not correct."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("You are logged in."), "success")
            response = make_response(redirect_next())
            remember_device(request, response, email, services.device_stamp(email))
            return response
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    services.record_logout(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current_password.data, form.password.data)
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            login_user(user)  # this session carries the new generation; all others end
            flash(_("Your password has been changed. Other sessions have been logged out."), "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not the account exists.
        flash(_("If an account exists for that address, we have sent it a link to reset the password."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if services.valid_reset_token(token) is None:
        flash(_("This reset link is invalid, expired or already used. Please ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.AccountError as error:
            flash(str(error), "error")
            return redirect(url_for("auth.forgot_password"))
        db.session.commit()
        flash(_("Your password has been set. Please log in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
