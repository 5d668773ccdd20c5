"""A user's own sign-in security (two-step sign-in, signing out everywhere) and lifting
sign-in locks. Signing in, out and changing the password are Django's views (``urls.py``)."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import lockout, sessions, two_factor
from accounts.forms import CodeForm
from accounts.http import AuthenticatedHttpRequest

# --- Sign-in locks --------------------------------------------------------------------------


@login_required
def lockouts(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not lockout.may_lift_lockouts(request.user):
        raise PermissionDenied
    rows = lockout.locked_out_users(viewer=request.user)
    return render(request, "accounts/lockouts.html", {"rows": rows, "title": _("Sign-in locks")})


@login_required
@require_POST
def lockout_lift(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not lockout.may_lift_lockouts(request.user):
        raise PermissionDenied
    user = get_object_or_404(lockout.lockout_users_for(request.user), pk=pk)
    lockout.lockout_lift(user=user, by=request.user)
    messages.success(request, _("%(user)s can sign in again.") % {"user": user})
    return redirect("login_lockouts")


# --- Every device ---------------------------------------------------------------------------


@login_required
@require_POST
def logout_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    sessions.sessions_end_all(user=request.user)
    logout(request)
    messages.success(request, _("You were signed out on every device. Sign in again here."))
    return redirect("login")


# --- Two-step sign-in -----------------------------------------------------------------------


@login_required
@never_cache
def two_factor_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _overview(request, CodeForm())


def _overview(request: AuthenticatedHttpRequest, disable_form: CodeForm) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "title": _("Two-step sign-in"),
            "enabled": two_factor.has_two_factor(user),
            "required": two_factor.is_required(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "form": disable_form,
        },
    )


@login_required
@never_cache
def two_factor_enroll(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_two_factor(user):
        return redirect("two_factor")
    device = two_factor.enrollment_device(user=user)
    form = CodeForm(request.POST or None, digits_only=True)
    if request.method == "POST" and form.is_valid():
        try:
            app, codes = two_factor.two_factor_enable(user=user, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            # Sessions elsewhere were signed in with the password alone: they end.
            sessions.sessions_end_all(user=user)
            update_session_auth_hash(request, user)
            two_factor.session_verified(request=request, device=app)
            request.session[two_factor.NEW_CODES_KEY] = codes
            return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/two_factor_enroll.html",
        {
            "title": _("Set up two-step sign-in"),
            "form": form,
            "qr_svg": two_factor.qr_svg(device.config_url),
            "secret": two_factor.secret_for_typing(device),
            "required": two_factor.is_required(user),
        },
    )


@login_required
@never_cache
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    next_url = _next_url(request)
    if django_otp.DEVICE_ID_SESSION_KEY in request.session:
        return HttpResponseRedirect(next_url)
    if not two_factor.has_two_factor(user):
        # The app was removed meanwhile (by an administrator): nothing to verify.
        request.session.pop(two_factor.PENDING_KEY, None)
        return HttpResponseRedirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.second_step_check(user=user, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            two_factor.session_verified(request=request, device=device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(n)d is left. Make new ones "
                        "from Two-step sign-in.",
                        "You signed in with a recovery code; %(n)d are left. Make new ones "
                        "from Two-step sign-in.",
                        left,
                    )
                    % {"n": left},
                )
            return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"title": _("Two-step sign-in"), "form": form, "next": next_url},
    )


@login_required
@never_cache
def two_factor_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just made, shown this once; or a button to make a new set."""
    user = request.user
    if not two_factor.has_two_factor(user):
        return redirect("two_factor")
    if request.method == "POST":
        codes = two_factor.recovery_codes_renew(user=user)
        request.session[two_factor.NEW_CODES_KEY] = codes
        return redirect("two_factor_recovery_codes")
    return render(
        request,
        "accounts/two_factor_recovery_codes.html",
        {
            "title": _("Recovery codes"),
            "codes": request.session.pop(two_factor.NEW_CODES_KEY, None),
            "codes_left": two_factor.recovery_codes_left(user),
        },
    )


@login_required
@require_POST
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turning it off takes a code too: a session left open is not enough."""
    user = request.user
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.second_step_check(user=user, token=form.cleaned_data["code"])
        except two_factor.TwoFactorError as exc:
            form.add_error("code", str(exc))
        else:
            two_factor.two_factor_disable(user=user)
            request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
            request.session.pop(two_factor.PENDING_KEY, None)
            messages.success(request, _("Two-step sign-in is off."))
            return redirect("two_factor")
    return _overview(request, form)


def _next_url(request: AuthenticatedHttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")
