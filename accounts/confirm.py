"""Confirm what cannot be undone: one helper and one page (``components/confirm.html``).

An action that cannot be undone (approving a month, disbursing, writing off, reversing,
submitting a report, deleting) is a POST that first answers with a page saying, in the user's
words, what will happen; its button posts the same fields again with ``confirmed=1`` and a
fresh write-once key (``accounts.once``), and only then is the act done. It works without
JavaScript, and a double tap on the confirming button is still one act.

    def loan_disburse(request, pk):
        loan = scoping.get_for_user(Loan, request.user, pk=pk, write=True)
        return confirm_or_do(
            request,
            title=_("Disburse this loan?"),
            will=[_("%(amount)s leaves the fund …") % {...}],
            action=_("Disburse"),
            cancel_url=loan_url,
            do=lambda: once(request, save=..., success=..., next_url=loan_url),
        )
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

from accounts.once import FIELD as ONCE_FIELD

CONFIRMED = "confirmed"

# Fields of the first post that the confirming form does not carry again.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED, ONCE_FIELD}


def is_confirmed(request: HttpRequest) -> bool:
    """The post came from the confirmation page's button."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def confirm_page(
    request: HttpRequest,
    *,
    title: str | Promise,
    will: Iterable[str | Promise],
    action: str | Promise,
    cancel_url: str,
    warnings: Iterable[str | Promise] = (),
    danger: bool = True,
    status: int = 200,
) -> HttpResponse:
    """The page that says what will happen (``will``, one line each), what the user should
    know first (``warnings``, e.g. what a completeness check found), a button labelled
    ``action`` that posts to the same address with ``confirmed=1``, and a way back."""
    carried = (
        [(k, v) for k in request.POST if k not in _NOT_CARRIED for v in request.POST.getlist(k)]
        if request.method == "POST"
        else []
    )
    return render(
        request,
        "components/confirm.html",
        {
            "title": title,
            "will": list(will),
            "warnings": list(warnings),
            "action": action,
            "cancel_url": cancel_url,
            "carried": carried,
            "danger": danger,
            "action_url": request.get_full_path(),
        },
        status=status,
    )


def confirm_or_do(
    request: HttpRequest,
    *,
    do: Callable[[], HttpResponse],
    title: str | Promise,
    will: Iterable[str | Promise],
    action: str | Promise,
    cancel_url: str,
    warnings: Iterable[str | Promise] = (),
    danger: bool = True,
) -> HttpResponse:
    """``do()`` when the post is confirmed; otherwise (a GET, or the first post) the
    confirmation page."""
    if is_confirmed(request):
        return do()
    return confirm_page(
        request,
        title=title,
        will=will,
        action=action,
        cancel_url=cancel_url,
        warnings=warnings,
        danger=danger,
    )
