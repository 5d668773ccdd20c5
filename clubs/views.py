from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import scoping
from clubs.models import Area, Club
from config.ui import paginate, search_term


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
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
        .order_by("province__name", "name")
    )
    if term := search_term(request):
        qs = qs.filter(search_name__contains=term)
    return render(
        request,
        "clubs/area_list.html",
        {"page_obj": paginate(request, qs), "title": _("Communes/wards in your area")},
    )
