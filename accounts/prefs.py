"""A user's own things: their notifications (the bell) and their preferences (how they are
notified, the large-text/high-contrast display).

Everything here is the signed-in user's own: a notification is fetched among the user's own
rows (another user's answers 404, as the door does), and these pages write nothing but the
user's own reading state and preferences, so a read-only role may use them too.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts import notifications
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from config.ui import paginate


def _back(request: AuthenticatedHttpRequest, default: str) -> HttpResponseRedirect:
    """Back where the user was (``next``, a path of this site), else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(target)


@login_required
@require_safe
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's notifications, newest first, the unread ones marked."""
    page = paginate(request, notifications.for_user(request.user))
    return render(
        request,
        "accounts/notifications.html",
        {"page_obj": page, "title": _("Notifications")},
    )


@login_required
@require_safe
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go where it points."""
    note = notifications.for_user(request.user).filter(pk=pk).first()
    if note is None:
        raise Http404
    notifications.mark_read(user=request.user, pk=note.pk)
    if not url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect("notifications")
    return HttpResponseRedirect(note.url)


@login_required
@require_POST
def notifications_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = notifications.mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notify_channel", "phone", "email", "large_text"]
        widgets = {"notify_channel": forms.RadioSelect}
        labels = {"email": gettext_lazy("E-mail address")}

    def clean(self) -> dict:
        data = super().clean() or {}
        channel = data.get("notify_channel")
        if channel == "sms" and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Enter the phone number the SMS should go to."))
        if channel == "email" and not (data.get("email") or "").strip():
            self.add_error("email", _("Enter the e-mail address to write to."))
        return data


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How the user is told of what waits for them, and how pages are shown to them."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your preferences are saved."))
        return redirect("preferences")
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "title": _("My preferences"),
            "cancel_url": reverse("home"),
        },
    )


@login_required
@require_POST
def display_toggle(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The top bar's switch: large text and high contrast on or off, remembered for the user."""
    user = request.user
    user.large_text = not user.large_text
    user.save(update_fields=["large_text"])
    return _back(request, reverse("home"))
