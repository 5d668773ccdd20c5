"""Club pages: the list, a club's page, founding and profile, status, board, composition."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from accounts import scoping
from accounts.http import AuthenticatedHttpRequest
from accounts.once import form_page as form_page_once
from clubs import selectors, services
from clubs.forms import (
    BoardEndForm,
    BoardForm,
    ClubFilterForm,
    ClubForm,
    ClubProfileForm,
    StatusForm,
)
from clubs.history import history_entries
from clubs.membership import member_register
from clubs.models import Area, BoardPosition, Club
from config.collation import by_name
from config.pagination import SortKey, keyset_page
from config.ui import form_page, paginate, search_term


@login_required
@require_safe
def area_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The communes/wards in the user's scope with their club counts."""
    qs = (
        scoping.areas_for(request.user)
        .filter(level=Area.Level.COMMUNE, active=True)
        .select_related("province")
        .annotate(
            club_count=Count("clubs", distinct=True),
            active_club_count=Count(
                "clubs", filter=Q(clubs__status=Club.Status.ACTIVE), distinct=True
            ),
        )
        .order_by(*by_name("province__name", "name"), "pk")
    )
    if term := search_term(request):
        qs = qs.filter(search_name__contains=term)
    return render(
        request,
        "clubs/area_list.html",
        {"page_obj": paginate(request, qs), "title": _("Communes/wards in your area")},
    )


@login_required
@require_safe
def club_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Clubs in scope with their composition flags; search and filters run in SQL."""
    register = member_register()
    filter_form = ClubFilterForm(request.GET or None, user=request.user)
    target = register.target()
    qs = selectors.club_list(
        viewer=request.user,
        term=search_term(request),
        filters={**filter_form.values(), "target": target},
    )
    page = keyset_page(request, qs, keys=selectors.CLUB_LIST_KEYS, name="clubs:club_list")
    clubs = selectors.with_counts(page.object_list)
    rows = [(club, register.composition_of(club, target=target)) for club in clubs]
    return render(
        request,
        "clubs/club_list.html",
        {
            "title": pgettext("menu", "Clubs"),
            "page_obj": page,
            "rows": rows,
            "filter_form": filter_form,
            "target": target,
            "can_create": scoping.is_staff_role(request.user),
        },
    )


@login_required
@require_safe
def club_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # The composition panel is drawn by its own tag (members_panels), loaded by the template.
    club = scoping.get_for_user(
        Club.objects.select_related("commune", "commune__province", "legacy_commune"),
        request.user,
        pk=pk,
    )
    staff = scoping.is_staff_role(request.user)
    return render(
        request,
        "clubs/club_detail.html",
        {
            "title": club.name,
            "club": club,
            "board": selectors.board(club=club),
            "status_changes": selectors.status_history(club=club),
            "history": history_entries(club, limit=20) if staff else None,
            "can_edit": scoping.can_write(request.user),
            "can_found": staff,
            "status_form": StatusForm(initial={"status": club.status}) if staff else None,
        },
    )


@login_required
def club_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Commune and provincial staff record a newly founded club."""
    if not (scoping.is_staff_role(request.user) and scoping.can_write(request.user)):
        raise PermissionDenied
    form = ClubForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.club_create(club=form.save(commit=False), by=request.user),
        success=lambda club: _("Club “%(name)s” recorded.") % {"name": club.name},
        next_url=lambda club: _url("clubs:club_detail", pk=club.pk),
        title=_("New club"),
        cancel_url=_url("clubs:club_list"),
    )


@login_required
def club_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff edit the whole record; a leader edits only their own club's profile."""
    club = scoping.get_for_user(Club, request.user, pk=pk, write=True)
    form_class = ClubForm if scoping.is_staff_role(request.user) else ClubProfileForm
    form = form_class(request.POST or None, instance=club, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.club_update(club=form.save(commit=False), by=request.user),
        success=_("Club details saved."),
        next_url=_url("clubs:club_detail", pk=club.pk),
        title=_("Edit club"),
        subtitle=club.name,
        cancel_url=_url("clubs:club_detail", pk=club.pk),
    )


@login_required
def club_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Association staff pause, dissolve or reactivate a club, with a date and a reason."""
    club = scoping.get_for_user(Club, request.user, pk=pk, write=True)
    if not scoping.is_staff_role(request.user):
        raise PermissionDenied
    form = StatusForm(request.POST or None, initial={"status": club.status})
    return form_page(
        request,
        form,
        save=lambda: services.club_change_status(club=club, by=request.user, **form.cleaned_data),
        success=_("Club status changed."),
        next_url=_url("clubs:club_detail", pk=club.pk),
        title=_("Change club status"),
        subtitle=club.name,
        cancel_url=_url("clubs:club_detail", pk=club.pk),
    )


@login_required
def board_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    club = scoping.get_for_user(Club, request.user, pk=pk, write=True)
    form = BoardForm(request.POST or None, club=club, user=request.user)
    return form_page_once(
        request,
        form,
        save=lambda: services.board_add(club=club, by=request.user, **form.cleaned_data),
        success=_("Board member added."),
        next_url=_url("clubs:club_detail", pk=club.pk),
        title=_("Add to the management board"),
        subtitle=club.name,
        cancel_url=_url("clubs:club_detail", pk=club.pk),
    )


@login_required
def board_end(request: AuthenticatedHttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    seat = scoping.get_for_user(
        BoardPosition.objects.select_related("member", "club"),
        request.user,
        pk=seat_pk,
        club_id=pk,
        write=True,
    )
    form = BoardEndForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda: services.board_end(
            seat=seat, end_on=form.cleaned_data["end_on"], by=request.user
        ),
        success=_("Term ended."),
        next_url=_url("clubs:club_detail", pk=seat.club_id),
        title=_("End a board term"),
        subtitle=f"{seat.get_position_display()}: {seat.member}",
        submit_label=_("End the term"),
        cancel_url=_url("clubs:club_detail", pk=seat.club_id),
    )


# The order of an area's composition rows (``MemberRegister.area_rows``: commune, then club,
# by name in Vietnamese order, then the club), which its keyset pages follow. On PostgreSQL
# the index ``composition_province_order`` (members migration 0008) serves it for a province,
# so a deep page reads its 26 index entries and sorts nothing.
COMPOSITION_KEYS = (
    SortKey("commune_name", collated=True),
    SortKey("club_name", collated=True),
    SortKey("club_id"),
)


@login_required
@require_safe
def area_composition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A commune's or province's composition, summed over its clubs, and each club's flags."""
    register = member_register()
    area = scoping.get_for_user(Area, request.user, pk=pk)
    target = register.target()
    # The totals first: they bring the clubs' composition rows up to date for the page, and
    # count them (the page's rows are the clubs summed), so the list needs no count of its own.
    composition = register.area_composition(area=area, viewer=request.user)
    page = keyset_page(
        request,
        register.area_rows(area=area, viewer=request.user),
        keys=COMPOSITION_KEYS,
        name="clubs:area_composition",
        count=composition.n_clubs,
    )
    return render(
        request,
        "clubs/area_composition.html",
        {
            "title": _("Composition of clubs: %(area)s") % {"area": area.name},
            "area": area,
            "composition": composition,
            "page_obj": page,
            "rows": [(row, register.composition_of(row, target=target)) for row in page],
            "target": target,
        },
    )


def _url(name: str, **kwargs: Any) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)
