from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import scoping


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: who you are, what you look after, and where to go next."""
    clubs = scoping.clubs_for(request.user)
    from clubs.models import Club

    totals = clubs.aggregate(
        clubs=Count("pk"),
        active=Count("pk", filter=Q(status=Club.Status.ACTIVE)),
    )
    return render(
        request,
        "accounts/home.html",
        {"totals": totals, "my_club": request.user.club, "my_area": request.user.area},
    )
