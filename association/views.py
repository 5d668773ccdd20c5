"""Pages of the association: units, branches, committees, membership returns, the yearly
assessment and the founding plan. Every object comes through ``accounts.scoping``; association
staff write (the province reviews, publishes and plans), a club's leaders and viewers read."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.once import form_page, once
from association import exports, selectors, services
from association.forms import (
    BranchForm,
    CriterionForm,
    EvidenceForm,
    FoundingForm,
    PlanForm,
    ReasonForm,
    ReturnForm,
    ReturnReviewForm,
    ReviewForm,
    RoundCreateForm,
    RoundForm,
    ScoresForm,
    SeatForm,
    StepForm,
    TargetForm,
    TermForm,
    UnitCreateForm,
    UnitForm,
)
from association.models import (
    AssessmentCriterion,
    AssessmentRound,
    AssessmentScore,
    AssociationUnit,
    Branch,
    ClubFounding,
    CommitteeMember,
    CommitteeTerm,
    FoundingPlan,
    FoundingStep,
    FoundingTarget,
    MembershipReturn,
    UnitAssessment,
)
from clubs.models import Area
from config.ui import errors_to_form, paginate, search_term
from trainings.files import CONTENT_TYPES


def can_manage(user: User) -> bool:
    """Association staff (and admins) change the association's records; others read."""
    return scoping.is_staff_role(user) and scoping.can_write(user)


def can_govern(user: User) -> bool:
    """Provincial staff (and admins): review, publish, plan."""
    return scoping.is_province_role(user) and scoping.can_write(user)


def _require_manage(user: User) -> None:
    scoping.require_write(user)
    if not can_manage(user):
        raise PermissionDenied


def _require_govern(user: User) -> None:
    scoping.require_write(user)
    if not can_govern(user):
        raise PermissionDenied


def _get(model: Any, request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Any:
    qs = model if isinstance(model, QuerySet) else model.objects.all()
    obj = scoping.get_for_user(qs, request.user, pk=pk, write=write)
    if write:
        _require_manage(request.user)
    return obj


def _unit(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> AssociationUnit:
    return _get(AssociationUnit.objects.select_related("area", "area__province"), request, pk,
                write=write)  # fmt: skip


def _act(
    request: AuthenticatedHttpRequest,
    *,
    title: str,
    will: list[str],
    action: str,
    cancel_url: str,
    save: Callable[[], Any],
    success: str,
    next_url: str | Callable[[Any], str],
    danger: bool = True,
) -> HttpResponse:
    """A POST that cannot be undone: the confirmation page, then the service once per key;
    a refusal comes back as a message on the page it started from."""

    def do() -> HttpResponse:
        try:
            return once(request, save=save, success=success, next_url=next_url)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
            return redirect(cancel_url)

    return confirm_or_do(
        request,
        do=do,
        title=title,
        will=will,
        action=action,
        cancel_url=cancel_url,
        danger=danger,
    )


def _year(request: AuthenticatedHttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1995 <= year <= 2100 else default


# --- Units ----------------------------------------------------------------------------------


@login_required
@require_GET
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    qs = selectors.unit_list(viewer=request.user, term=search_term(request), level=level)
    missing = selectors.communes_without_unit(viewer=request.user)
    return render(
        request,
        "association/unit_list.html",
        {
            "title": _("Association units"),
            "page_obj": paginate(request, qs),
            "level": level,
            "levels": [(Area.Level.PROVINCE, _("Province")), (Area.Level.COMMUNE, _("Commune"))],
            "missing_count": missing.count() if can_govern(request.user) else 0,
            "can_manage": can_manage(request.user),
            "can_govern": can_govern(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_govern(request.user)
    form = UnitCreateForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.unit_save(unit=form.instance, by=request.user),
        success=_("The association unit was created."),
        next_url=lambda unit: reverse("association:unit", args=[unit.pk]),
        title=_("New association unit"),
        cancel_url=reverse("association:units"),
    )


@login_required
@require_POST
def units_create_missing(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_govern(request.user)
    area = request.user.area
    if area is None or area.level != Area.Level.PROVINCE:
        raise PermissionDenied
    back = reverse("association:units")
    return _act(
        request,
        title=_("Create the missing units?"),
        will=[
            _(
                "An association unit is created for the province and for every commune of it "
                "that has none (%(n)s), named “Hội Người cao tuổi” and the area's name."
            )
            % {"n": selectors.communes_without_unit(viewer=request.user).count()}
        ],
        action=_("Create the units"),
        cancel_url=back,
        save=lambda: services.units_create_missing(province=area, by=request.user),
        success=_("The missing units were created."),
        next_url=back,
        danger=False,
    )


@login_required
@require_GET
def unit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    page = selectors.unit_page(unit=unit)
    return render(
        request,
        "association/unit_detail.html",
        {
            "title": unit.name,
            "unit": unit,
            "page": page,
            "can_manage": can_manage(request.user),
            "can_govern": can_govern(request.user),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, write=True)
    form = UnitForm(request.POST or None, instance=unit)
    back = reverse("association:unit", args=[unit.pk])
    return form_page(
        request,
        form,
        save=lambda: services.unit_save(unit=form.instance, by=request.user),
        success=_("The association unit was saved."),
        next_url=back,
        title=_("Edit the association unit"),
        subtitle=unit.name,
        cancel_url=back,
    )


# --- Branches --------------------------------------------------------------------------------


def _branch_form_page(
    request: AuthenticatedHttpRequest, unit: AssociationUnit, branch: Branch | None
) -> HttpResponse:
    if unit.area.level != Area.Level.COMMUNE:
        raise Http404
    form = BranchForm(request.POST or None, instance=branch, unit=unit)
    back = reverse("association:unit", args=[unit.pk])

    def save() -> Branch:
        return services.branch_save(
            branch=form.instance, clubs=form.cleaned_data["clubs"], by=request.user
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The branch was saved."),
        next_url=back,
        title=_("Edit the branch") if branch else _("New branch"),
        subtitle=unit.name,
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def branch_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _branch_form_page(request, _unit(request, pk, write=True), None)


@login_required
@require_http_methods(["GET", "POST"])
def branch_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    branch = _get(Branch.objects.select_related("unit", "unit__area"), request, pk, write=True)
    return _branch_form_page(request, branch.unit, branch)


@login_required
@require_POST
def branch_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    branch = _get(Branch.objects.select_related("unit"), request, pk, write=True)
    back = reverse("association:unit", args=[branch.unit_id])
    return _act(
        request,
        title=_("Delete this branch?"),
        will=[_("The branch %(name)s and its groups are deleted.") % {"name": branch.name}],
        action=_("Delete"),
        cancel_url=back,
        save=lambda: services.branch_delete(branch=branch),
        success=_("The branch was deleted."),
        next_url=back,
    )


# --- Committees ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def term_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk, write=True)
    form = TermForm(request.POST or None, unit=unit)
    return form_page(
        request,
        form,
        save=lambda: services.term_save(term=form.instance, by=request.user),
        success=_("The committee term was created."),
        next_url=lambda term: reverse("association:term", args=[term.pk]),
        title=_("New committee term"),
        subtitle=unit.name,
        cancel_url=reverse("association:unit", args=[unit.pk]),
    )


def _term(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> CommitteeTerm:
    return _get(
        CommitteeTerm.objects.select_related("unit", "unit__area"), request, pk, write=write
    )


@login_required
@require_GET
def term_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    term = _term(request, pk)
    privacy.require_people(request.user)
    return render(
        request,
        "association/term_detail.html",
        {
            "title": term.name,
            "term": term,
            "seats": term.seats.select_related("member"),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    term = _term(request, pk, write=True)
    form = TermForm(request.POST or None, instance=term, unit=term.unit)
    back = reverse("association:term", args=[term.pk])
    return form_page(
        request,
        form,
        save=lambda: services.term_save(term=form.instance, by=request.user),
        success=_("The committee term was saved."),
        next_url=back,
        title=_("Edit the committee term"),
        subtitle=term.unit.name,
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    term = _term(request, pk, write=True)
    form = SeatForm(request.POST or None, term=term)
    back = reverse("association:term", args=[term.pk])
    return form_page(
        request,
        form,
        save=lambda: services.seat_save(seat=form.instance, by=request.user),
        success=_("The committee member was added."),
        next_url=back,
        title=_("Add a committee member"),
        subtitle=f"{term.unit.name} · {term.name}",
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    seat = _get(
        CommitteeMember.objects.select_related("term", "term__unit", "term__unit__area"),
        request,
        pk,
        write=True,
    )
    form = SeatForm(request.POST or None, instance=seat, term=seat.term)
    back = reverse("association:term", args=[seat.term_id])
    return form_page(
        request,
        form,
        save=lambda: services.seat_save(seat=form.instance, by=request.user),
        success=_("The committee member was saved."),
        next_url=back,
        title=_("Edit the committee member"),
        subtitle=f"{seat.term.unit.name} · {seat.term.name}",
        cancel_url=back,
    )


@login_required
@require_POST
def seat_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    seat = _get(CommitteeMember.objects.select_related("term"), request, pk, write=True)
    back = reverse("association:term", args=[seat.term_id])
    return _act(
        request,
        title=_("Remove this committee member?"),
        will=[_("%(name)s is removed from the committee.") % {"name": seat.display_name}],
        action=_("Remove"),
        cancel_url=back,
        save=lambda: services.seat_delete(seat=seat),
        success=_("The committee member was removed."),
        next_url=back,
    )


# --- Membership returns -------------------------------------------------------------------


@login_required
@require_GET
def returns_year(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A year's membership returns in scope: totals, each unit's return, who has not sent."""
    this_year = timezone.localdate().year
    year = _year(request, this_year)
    data = selectors.returns_of_year(viewer=request.user, year=year)
    return render(
        request,
        "association/returns.html",
        {
            "title": _("Membership returns %(year)s") % {"year": year},
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "totals": data["totals"],
            "page_obj": paginate(request, data["returns"]),
            "missing": Paginator(data["missing"], 25).get_page(request.GET.get("mpage")),
            "can_manage": can_manage(request.user),
        },
    )


def _return_page(
    request: AuthenticatedHttpRequest, unit: AssociationUnit, year: int
) -> HttpResponse:
    ret = MembershipReturn.objects.filter(unit=unit, year=year).first()
    editable = (ret is None or ret.status == MembershipReturn.Status.DRAFT) and can_manage(
        request.user
    )
    form = ReturnForm(request.POST or None, instance=ret, unit=unit, year=year)
    back = reverse("association:return", args=[unit.pk, year])
    return form_page(
        request,
        form,
        save=lambda: services.return_save(ret=form.instance, by=request.user),
        success=_("The return was saved as a draft; send it to the province when it is ready."),
        next_url=back,
        template="association/return.html",
        title=_("Membership return %(year)s") % {"year": year},
        subtitle=unit.name,
        unit=unit,
        year=year,
        ret=ret,
        editable=editable,
        can_govern=can_govern(request.user),
        review_form=ReturnReviewForm(),
        cancel_url=reverse("association:unit", args=[unit.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_edit(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    unit = _unit(request, pk, write=request.method == "POST")
    if not 1995 <= year <= timezone.localdate().year:
        raise Http404
    return _return_page(request, unit, year)


def _return(request: AuthenticatedHttpRequest, pk: int) -> MembershipReturn:
    return _get(MembershipReturn.objects.select_related("unit"), request, pk, write=True)


@login_required
@require_POST
def return_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ret = _return(request, pk)
    back = reverse("association:return", args=[ret.unit_id, ret.year])
    return _act(
        request,
        title=_("Send the return to the province?"),
        will=[_("The province reviews it; it cannot be changed unless sent back.")],
        action=_("Send"),
        cancel_url=back,
        save=lambda: services.return_submit(ret=ret, by=request.user),
        success=_("The return was sent to the province."),
        next_url=back,
        danger=False,
    )


@login_required
@require_POST
def return_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ret = _return(request, pk)
    _require_govern(request.user)
    back = reverse("association:return", args=[ret.unit_id, ret.year])
    form = ReturnReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept the return."))
        return redirect(back)
    try:
        services.return_review(
            ret=ret,
            by=request.user,
            accept=form.cleaned_data["accept"],
            note=form.cleaned_data["review_note"],
        )
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("The review was recorded."))
    return redirect(back)


# --- Assessments ---------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "association/round_list.html",
        {
            "title": _("Grassroots association assessment"),
            "page_obj": paginate(request, selectors.round_list(viewer=request.user)),
            "can_govern": can_govern(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_govern(request.user)
    area = request.user.area
    if area is None or area.level != Area.Level.PROVINCE:
        raise PermissionDenied
    form = RoundCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        save=lambda: services.round_create(
            province=area,
            year=form.cleaned_data["year"],
            title=form.cleaned_data["title"],
            by=request.user,
        ),
        success=_("The round was created with last year's criteria; adjust them if needed."),
        next_url=lambda rnd: reverse("association:round", args=[rnd.pk]),
        title=_("New assessment round"),
        subtitle=area.name,
        cancel_url=reverse("association:rounds"),
    )


def _round(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> AssessmentRound:
    rnd = _get(AssessmentRound.objects.select_related("province"), request, pk, write=write)
    if write:
        _require_govern(request.user)
    return rnd


@login_required
@require_GET
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    ranked = selectors.ranking(rnd=rnd, viewer=request.user)
    page_obj = paginate(request, ranked)
    selectors.with_reasons(list(page_obj.object_list))
    return render(
        request,
        "association/round_detail.html",
        {
            "title": rnd.title,
            "rnd": rnd,
            "criteria": rnd.criteria.all(),
            "classes": selectors.distribution(ranked),
            "page_obj": page_obj,
            "can_govern": can_govern(request.user),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk, write=True)
    form = RoundForm(request.POST or None, instance=rnd)
    back = reverse("association:round", args=[rnd.pk])
    return form_page(
        request,
        form,
        save=lambda: services.round_update(rnd=form.instance, by=request.user),
        success=_("The round was saved."),
        next_url=back,
        title=_("Edit the round"),
        subtitle=rnd.title,
        cancel_url=back,
    )


@login_required
@require_POST
def round_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk, write=True)
    back = reverse("association:round", args=[rnd.pk])
    pending = rnd.assessments.exclude(status=UnitAssessment.Status.REVIEWED).count()
    return _act(
        request,
        title=_("Publish the round?"),
        will=[
            _("The reviewed assessments are published with their class."),
            _("The round is locked: no score, criterion or threshold can change."),
        ]
        + (
            [_("%(n)s assessments not reviewed stay unclassified.") % {"n": pending}]
            if pending
            else []
        ),
        action=_("Publish"),
        cancel_url=back,
        save=lambda: services.round_publish(rnd=rnd, by=request.user),
        success=_("The round was published."),
        next_url=back,
    )


@login_required
@require_GET
def round_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk)
    rows = list(selectors.ranking(rnd=rnd, viewer=request.user))
    selectors.with_reasons(rows, lowest=3)
    return exports.xlsx_response(
        exports.assessment_workbook(rnd, rows), f"xep-loai-hoi-co-so-{rnd.year}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    rnd = _round(request, pk, write=True)
    form = CriterionForm(request.POST or None, rnd=rnd)
    back = reverse("association:round", args=[rnd.pk])
    return form_page(
        request,
        form,
        save=lambda: services.criterion_save(criterion=form.instance, by=request.user),
        success=_("The criterion was added."),
        next_url=back,
        title=_("New criterion"),
        subtitle=rnd.title,
        cancel_url=back,
    )


def _criterion(request: AuthenticatedHttpRequest, pk: int) -> AssessmentCriterion:
    criterion = _get(AssessmentCriterion.objects.select_related("round"), request, pk, write=True)
    _require_govern(request.user)
    return criterion


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    form = CriterionForm(request.POST or None, instance=criterion, rnd=criterion.round)
    back = reverse("association:round", args=[criterion.round_id])
    return form_page(
        request,
        form,
        save=lambda: services.criterion_save(criterion=form.instance, by=request.user),
        success=_("The criterion was saved."),
        next_url=back,
        title=_("Edit the criterion"),
        subtitle=criterion.round.title,
        cancel_url=back,
    )


@login_required
@require_POST
def criterion_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    criterion = _criterion(request, pk)
    back = reverse("association:round", args=[criterion.round_id])
    return _act(
        request,
        title=_("Delete this criterion?"),
        will=[_("The criterion and the points given for it are deleted.")],
        action=_("Delete"),
        cancel_url=back,
        save=lambda: services.criterion_delete(criterion=criterion),
        success=_("The criterion was deleted."),
        next_url=back,
    )


def _assessment(
    request: AuthenticatedHttpRequest, pk: int, *, write: bool = False
) -> UnitAssessment:
    return _get(
        UnitAssessment.objects.select_related("round", "round__province", "unit", "unit__area"),
        request,
        pk,
        write=write,
    )


def _scores(a: UnitAssessment) -> dict[int, AssessmentScore]:
    return {s.criterion_id: s for s in a.scores.all()}


def _assessment_page(
    request: AuthenticatedHttpRequest,
    a: UnitAssessment,
    *,
    scores_form: ScoresForm | None = None,
    review_form: ReviewForm | None = None,
    evidence_form: EvidenceForm | None = None,
    reason_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scores = _scores(a)
    criteria = list(a.round.criteria.all())
    draft = a.status == UnitAssessment.Status.DRAFT and not a.round.locked
    reviewable = (
        a.status in (UnitAssessment.Status.SUBMITTED, UnitAssessment.Status.REVIEWED)
        and not a.round.locked
    )
    manage, govern = can_manage(request.user), can_govern(request.user)
    if draft and manage and scores_form is None:
        scores_form = ScoresForm(assessment=a, scores=scores)
    if draft and manage and evidence_form is None:
        evidence_form = EvidenceForm(assessment=a)
    if reviewable and govern and review_form is None:
        review_form = ReviewForm(assessment=a, scores=scores)
    if reviewable and govern and reason_form is None:
        reason_form = ReasonForm()
    return render(
        request,
        "association/assessment_detail.html",
        {
            "title": _("Assessment %(year)s") % {"year": a.round.year},
            "subtitle": a.unit.name,
            "a": a,
            "rows": [(c, scores.get(c.pk)) for c in criteria],
            "score_rows": [
                (c, scores.get(c.pk), scores_form[f"score_{c.pk}"], scores_form[f"note_{c.pk}"])
                for c in criteria
            ]
            if scores_form is not None and draft and manage
            else [],
            "steps": a.steps.select_related("by"),
            "draft": draft,
            "reviewable": reviewable,
            "scores_form": scores_form if draft and manage else None,
            "evidence_form": evidence_form if draft and manage else None,
            "review_form": review_form if reviewable and govern else None,
            "reason_form": reason_form if reviewable and govern else None,
            "can_manage": manage,
        },
        status=status,
    )


@login_required
@require_GET
def assessment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, _assessment(request, pk))


@login_required
@require_POST
def assessment_scores(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk, write=True)
    form = ScoresForm(request.POST, assessment=a, scores=_scores(a))
    back = reverse("association:assessment", args=[a.pk])
    if form.is_valid():
        try:
            return once(
                request,
                save=lambda: services.scores_save(
                    assessment=a, scores=form.scores(), by=request.user
                ),
                success=_("The points were saved."),
                next_url=back,
            )
        except ValidationError as exc:
            _errors_to(form, exc)
    return _assessment_page(request, a, scores_form=form, status=400)


def _errors_to(form: Any, exc: ValidationError) -> None:
    errors_to_form(form, exc)


@login_required
@require_POST
def assessment_evidence(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES, assessment=a)
    back = reverse("association:assessment", args=[a.pk])
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            return once(
                request,
                save=lambda: services.evidence_add(
                    assessment=a,
                    criterion=form.cleaned_data["criterion"],
                    name=upload.name,
                    fileobj=upload,
                    size=upload.size,
                    by=request.user,
                ),
                success=_("The evidence was attached."),
                next_url=back,
            )
        except ValidationError as exc:
            _errors_to(form, exc)
    return _assessment_page(request, a, evidence_form=form, status=400)


@login_required
@require_GET
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    score = _get(AssessmentScore.objects.exclude(evidence=""), request, pk)
    return _file(score.evidence, score.evidence_name, score.evidence_kind)


def _file(field: Any, name: str, kind: str) -> FileResponse:
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=kind not in ("pdf", "jpg", "png"),
        filename=name,
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def assessment_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk, write=True)
    back = reverse("association:assessment", args=[a.pk])
    return _act(
        request,
        title=_("Send the assessment to the province?"),
        will=[
            _("Self-assessed total: %(n)s points.") % {"n": a.self_text},
            _("The province reviews it; it cannot be changed unless sent back."),
        ],
        action=_("Send"),
        cancel_url=back,
        save=lambda: services.assessment_submit(assessment=a, by=request.user),
        success=_("The assessment was sent to the province."),
        next_url=back,
        danger=False,
    )


@login_required
@require_POST
def assessment_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk, write=True)
    _require_govern(request.user)
    form = ReviewForm(request.POST, assessment=a, scores=_scores(a))
    if form.is_valid():
        try:
            return once(
                request,
                save=lambda: services.assessment_review(
                    assessment=a,
                    finals=form.finals(),
                    comment=form.cleaned_data["comment"],
                    by=request.user,
                ),
                success=_("The review was recorded."),
                next_url=reverse("association:assessment", args=[a.pk]),
            )
        except ValidationError as exc:
            _errors_to(form, exc)
    return _assessment_page(request, a, review_form=form, status=400)


@login_required
@require_POST
def assessment_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    a = _assessment(request, pk, write=True)
    _require_govern(request.user)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            return once(
                request,
                save=lambda: services.assessment_return(
                    assessment=a, reason=form.cleaned_data["reason"], by=request.user
                ),
                success=_("The assessment was sent back to the commune."),
                next_url=reverse("association:assessment", args=[a.pk]),
            )
        except ValidationError as exc:
            _errors_to(form, exc)
    return _assessment_page(request, a, reason_form=form, status=400)


@login_required
@require_GET
def unit_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    unit = _unit(request, pk)
    return render(
        request,
        "association/unit_history.html",
        {
            "title": _("Assessments year by year"),
            "subtitle": unit.name,
            "unit": unit,
            "rows": selectors.unit_history(unit=unit),
        },
    )


# --- Founding plans --------------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "association/plan_list.html",
        {
            "title": _("Plans for founding clubs"),
            "page_obj": paginate(request, selectors.plan_list(viewer=request.user)),
            "can_govern": can_govern(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_govern(request.user)
    form = PlanForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda: services.plan_save(plan=form.instance, by=request.user),
        success=_("The plan was created; add the targets of each commune."),
        next_url=lambda plan: reverse("association:plan", args=[plan.pk]),
        title=_("New founding plan"),
        cancel_url=reverse("association:plans"),
    )


def _plan(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> FoundingPlan:
    plan = _get(FoundingPlan.objects.select_related("province"), request, pk, write=write)
    if write:
        _require_govern(request.user)
    return plan


@login_required
@require_GET
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    communes = selectors.plan_communes(plan=plan, viewer=request.user)
    page_obj = paginate(request, communes)
    no_club = selectors.communes_without_active_club(communes)
    stalled = selectors.stalled(plan=plan, viewer=request.user)
    pipelines = selectors.foundings(plan=plan, viewer=request.user)
    return render(
        request,
        "association/plan_detail.html",
        {
            "title": plan.title,
            "plan": plan,
            "page_obj": page_obj,
            "grid": selectors.plan_grid(plan=plan, communes=list(page_obj.object_list)),
            "years": selectors.plan_years(plan=plan, communes=communes),
            "no_club": list(no_club[:30]),
            "no_club_count": no_club.count(),
            "stalled": list(stalled[:30]),
            "stall_days": selectors.stall_days(),
            "pipelines": list(pipelines[:50]),
            "pipeline_count": pipelines.count(),
            "founders_trained": selectors.founders_trained(plan=plan, communes=communes),
            "can_govern": can_govern(request.user),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    back = reverse("association:plan", args=[plan.pk])
    return form_page(
        request,
        form,
        save=lambda: services.plan_save(plan=form.instance, by=request.user),
        success=_("The plan was saved."),
        next_url=back,
        title=_("Edit the plan"),
        subtitle=plan.title,
        cancel_url=back,
    )


@login_required
@require_GET
def plan_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    communes = list(selectors.plan_communes(plan=plan, viewer=request.user))
    grid = selectors.plan_grid(plan=plan, communes=communes)
    return exports.xlsx_response(
        exports.plan_workbook(plan, grid), f"ke-hoach-thanh-lap-clb-{plan.start_year}.xlsx"
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, write=True)
    form = TargetForm(request.POST or None, plan=plan, user=request.user)
    back = reverse("association:plan", args=[plan.pk])
    return form_page(
        request,
        form,
        save=lambda: services.target_save(target=form.instance, by=request.user),
        success=_("The target was saved."),
        next_url=back,
        title=_("New target"),
        subtitle=plan.title,
        cancel_url=back,
    )


def _target(request: AuthenticatedHttpRequest, pk: int) -> FoundingTarget:
    target = _get(FoundingTarget.objects.select_related("plan"), request, pk, write=True)
    _require_govern(request.user)
    return target


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    form = TargetForm(request.POST or None, instance=target, plan=target.plan, user=request.user)
    back = reverse("association:plan", args=[target.plan_id])
    return form_page(
        request,
        form,
        save=lambda: services.target_save(target=form.instance, by=request.user),
        success=_("The target was saved."),
        next_url=back,
        title=_("Edit the target"),
        subtitle=target.plan.title,
        cancel_url=back,
    )


@login_required
@require_POST
def target_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    back = reverse("association:plan", args=[target.plan_id])
    return _act(
        request,
        title=_("Delete this target?"),
        will=[str(target)],
        action=_("Delete"),
        cancel_url=back,
        save=lambda: services.target_delete(target=target),
        success=_("The target was deleted."),
        next_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def founding_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require_manage(request.user)
    form = FoundingForm(
        request.POST or None,
        plan=plan,
        user=request.user,
        initial={"year": timezone.localdate().year},
    )
    return form_page(
        request,
        form,
        save=lambda: services.founding_save(founding=form.instance, by=request.user),
        success=_("The planned club was added; record each step as it is done."),
        next_url=lambda f: reverse("association:founding", args=[f.pk]),
        title=_("New planned club"),
        subtitle=plan.title,
        cancel_url=reverse("association:plan", args=[plan.pk]),
    )


def _founding(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> ClubFounding:
    return _get(
        ClubFounding.objects.select_related("plan", "commune", "club", "training"),
        request,
        pk,
        write=write,
    )


@login_required
@require_http_methods(["GET", "POST"])
def founding_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    f = _founding(request, pk, write=request.method == "POST")
    form = StepForm(request.POST or None, request.FILES or None, founding=f) if not f.done else None
    back = reverse("association:founding", args=[f.pk])

    def save() -> FoundingStep:
        data = form.cleaned_data if form is not None else {}
        upload = data.get("document")
        return services.founding_step_record(
            founding=f,
            done_on=data["done_on"],
            responsible=data["responsible"],
            note=data.get("note", ""),
            document=(upload.name, upload, upload.size) if upload else None,
            decision_number=data.get("decision_number") or "",
            decision_issuer=data.get("decision_issuer") or "",
            club=data.get("club"),
            by=request.user,
        )

    context = {
        "title": f.name,
        "subtitle": f"{f.commune.name} · {f.plan.title}",
        "f": f,
        "step_rows": _step_rows(f),
        "can_manage": can_manage(request.user),
        "stall_days": selectors.stall_days(),
        "stalled": bool(
            not f.done
            and (f.step_on or f.created_at.date())
            < timezone.localdate() - datetime.timedelta(days=selectors.stall_days())
        ),
    }
    if form is None:
        if request.method == "POST":
            messages.error(request, _("This club is founded; every step is done."))
            return redirect(back)
        return render(request, "association/founding_detail.html", context)
    return form_page(
        request,
        form,
        save=save,
        success=lambda step: _("Step recorded: %(step)s.") % {"step": step.get_step_display()},
        next_url=back,
        template="association/founding_detail.html",
        **context,
    )


def _step_rows(f: ClubFounding) -> list[tuple[int, Any, FoundingStep | None]]:
    done = {s.step: s for s in f.steps.all()}
    return [(value, label, done.get(value)) for value, label in ClubFounding.Step.choices]


@login_required
@require_GET
def step_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    step = _get(FoundingStep.objects.exclude(document=""), request, pk)
    return _file(step.document, step.document_name, step.document_kind)
