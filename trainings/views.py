"""Training pages. Every object comes through ``accounts.scoping``; only association staff
(and admins) manage events; leaders who may see an event read it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import privacy, scoping
from accounts.confirm import confirm_or_do
from accounts.http import AuthenticatedHttpRequest
from accounts.once import once, repeat_answer
from config.collation import by_name
from config.pickers import pick_response
from config.ui import errors_to_form, form_page, paginate, search_term
from trainings import imports, selectors, services
from trainings.forms import (
    ImportForm,
    MaterialForm,
    ParticipantForm,
    SessionForm,
    TrainerForm,
    TrainingForm,
)
from trainings.models import (
    Participant,
    SessionAttendance,
    Trainer,
    Training,
    TrainingMaterial,
    TrainingSession,
)
from trainings.pdf import certificates_pdf

if TYPE_CHECKING:
    from accounts.models import User

IMPORT_SESSION_KEY = "trainings_import_%s"


def can_manage(user: User) -> bool:
    """Association staff (and admins) manage the events they can see; others only read."""
    return scoping.is_staff_role(user) and scoping.can_write(user)


def _training(request: AuthenticatedHttpRequest, pk: int, *, write: bool = False) -> Training:
    training = scoping.get_for_user(
        Training.objects.select_related("organiser"), request.user, pk=pk, write=write
    )
    if write and not can_manage(request.user):
        raise PermissionDenied
    return training


def _child(qs: Any, request: AuthenticatedHttpRequest, **lookup: Any) -> Any:
    """A child object of an event already fetched through the door (404 if elsewhere)."""
    return scoping.get_for_user(qs, request.user, **lookup)


# --- Events --------------------------------------------------------------------------------


@login_required
@require_GET
def training_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Training.Status.values:
        status = ""
    qs = selectors.training_list(viewer=request.user, term=search_term(request), status=status)
    page = paginate(request, qs)
    # The page's rows with their participant counts, counted for those rows only.
    page.object_list = selectors.training_rows(cast("QuerySet[Training]", page.object_list))
    return render(
        request,
        "trainings/training_list.html",
        {
            "title": _("Trainings"),
            "page_obj": page,
            "statuses": Training.Status.choices,
            "status": status,
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    scoping.require_write(request.user)
    if not can_manage(request.user):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_create(by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The training was created, one day per session."))
            return redirect("trainings:detail", pk=training.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "title": _("New training"),
            "form": form,
            "cancel_url": reverse("trainings:list"),
        },
    )


@login_required
@require_GET
def training_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    sessions = training.sessions.all()
    return render(
        request,
        "trainings/training_detail.html",
        {
            "title": training.title,
            "training": training,
            "sessions": sessions,
            "trainers": training.trainers.all(),
            "materials": training.materials.all()[:5],
            "participant_count": training.participants.count(),
            "can_manage": can_manage(request.user),
            "trainer_form": TrainerForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk, write=True)
    form = TrainingForm(request.POST or None, instance=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(training=training, data=form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
            training.refresh_from_db()
        else:
            messages.success(request, _("The training was saved."))
            return redirect("trainings:detail", pk=training.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "title": _("Edit training"),
            "subtitle": training.title,
            "form": form,
            "cancel_url": reverse("trainings:detail", args=[training.pk]),
        },
    )


@login_required
@require_POST
def trainer_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk, write=True)
    form = TrainerForm(request.POST)
    if form.is_valid():
        services.trainer_add(training=training, **form.cleaned_data)
        messages.success(request, _("The trainer was added."))
    else:
        messages.error(request, _("Give the trainer's name."))
    return redirect("trainings:detail", pk=training.pk)


@login_required
@require_POST
def trainer_delete(request: AuthenticatedHttpRequest, pk: int, trainer_pk: int) -> HttpResponse:
    if (first := repeat_answer(request)) is not None:  # a double tap on the confirmation
        return first
    training = _training(request, pk, write=True)
    trainer = _child(Trainer.objects.filter(training=training), request, pk=trainer_pk)
    return _confirm_delete(
        request,
        delete=trainer.delete,
        title=_("Remove this trainer?"),
        will=[
            _("%(name)s is removed from the trainers of “%(training)s”.")
            % {"name": trainer.name, "training": training.title}
        ],
        success=_("The trainer was removed."),
        next_url=reverse("trainings:detail", args=[training.pk]),
    )


def _confirm_delete(
    request: AuthenticatedHttpRequest,
    *,
    delete: Callable[[], Any],
    title: str,
    will: list[str],
    success: str,
    next_url: str,
) -> HttpResponse:
    """A delete asks first (``accounts.confirm``): the page says what goes, and it cannot
    be brought back; the confirmed post deletes once (``accounts.once``)."""
    return confirm_or_do(
        request,
        do=lambda: once(request, save=delete, success=success, next_url=next_url),
        title=title,
        will=[*will, _("It cannot be brought back.")],
        action=_("Delete"),
        cancel_url=next_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthenticatedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    training = _training(request, pk, write=True)
    session = _child(TrainingSession.objects.filter(training=training), request, pk=session_pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, data=form.cleaned_data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("The day's agenda was saved."))
            return redirect("trainings:detail", pk=training.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "title": _("Day %(day)s") % {"day": f"{session.day:%d/%m/%Y}"},
            "subtitle": training.title,
            "form": form,
            "cancel_url": reverse("trainings:detail", args=[training.pk]),
        },
    )


# --- Participants --------------------------------------------------------------------------


@login_required
@require_GET
def participant_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    # By name only the people the viewer may see (a leader: their club's); the others as
    # counts by commune and unit (accounts.privacy.people_q).
    qs = selectors.participant_list(
        training=training, viewer=request.user, term=search_term(request)
    )
    page = paginate(request, qs, per_page=50)
    privacy.note_access(request, training, privacy.SENSITIVE, count=page)  # ethnicity
    return render(
        request,
        "trainings/participant_list.html",
        {
            "title": pgettext("training", "Participants"),
            "subtitle": training.title,
            "training": training,
            "page_obj": page,
            "others": selectors.unnamed_by_unit(training=training, viewer=request.user),
            "can_manage": can_manage(request.user),
            "sessions": training.sessions.all(),
        },
    )


@login_required
@require_GET
def pick_member(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The participant form's picker of current board members in the user's area."""
    _training(request, pk, write=True)
    privacy.require_people(request.user)
    return pick_response(
        request,
        selectors.board_members(viewer=request.user),
        describe=selectors.board_member_choice,
        search=selectors.search_board_members,
    )


@login_required
@require_GET
def pick_user(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The participant form's picker of user accounts in the user's area."""
    _training(request, pk, write=True)
    privacy.require_people(request.user)
    return pick_response(
        request,
        selectors.participant_users(viewer=request.user),
        describe=selectors.user_choice,
        search=selectors.search_users,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk, write=True)
    session = None
    session_pk = request.GET.get("session") or request.POST.get("session")
    if session_pk:
        session = _child(TrainingSession.objects.filter(training=training), request, pk=session_pk)
    form = ParticipantForm(request.POST or None, training=training, user=request.user)
    if request.method == "POST" and form.is_valid():
        if session:
            success = _("%(name)s was registered and marked present.")
            next_url = reverse("trainings:checkin", args=[training.pk, session.pk])
        else:
            success = _("%(name)s was registered.")
            next_url = reverse(
                "trainings:participant_add"
                if "another" in request.POST
                else "trainings:participants",
                args=[training.pk],
            )
        try:
            return once(
                request,
                save=lambda: services.participant_register(
                    training=training,
                    data=form.cleaned_data,
                    by=request.user,
                    checkin_session=session,
                ),
                success=lambda participant: success % {"name": participant.full_name},
                next_url=next_url,
            )
        except ValidationError as exc:
            errors_to_form(form, exc)
    cancel = (
        reverse("trainings:checkin", args=[training.pk, session.pk])
        if session
        else reverse("trainings:participants", args=[training.pk])
    )
    return render(
        request,
        "trainings/participant_form.html",
        {
            "title": _("Register on the spot") if session else _("Register a participant"),
            "subtitle": training.title,
            "training": training,
            "session": session,
            "form": form,
            "cancel_url": cancel,
            "adding": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(
    request: AuthenticatedHttpRequest, pk: int, participant_pk: int
) -> HttpResponse:
    if "delete" in request.POST and (first := repeat_answer(request)) is not None:
        return first  # a double tap on the confirmation of the removal
    training = _training(request, pk, write=True)
    participant = _child(Participant.objects.filter(training=training), request, pk=participant_pk)
    form = ParticipantForm(
        request.POST or None, instance=participant, training=training, user=request.user
    )
    participants = reverse("trainings:participants", args=[training.pk])
    if request.method == "POST" and "delete" in request.POST:
        return _confirm_delete(
            request,
            delete=lambda: services.participant_delete(participant=participant),
            title=_("Remove this participant?"),
            will=[
                _(
                    "%(name)s is removed from “%(training)s”, with their attendance on every day "
                    "and their scores."
                )
                % {"name": participant.full_name, "training": training.title}
            ],
            success=_("%(name)s was removed.") % {"name": participant.full_name},
            next_url=participants,
        )
    return form_page(
        request,
        form,
        save=lambda: services.participant_update(participant=participant, data=form.cleaned_data),
        success=_("The participant was saved."),
        next_url=participants,
        template="trainings/participant_form.html",
        title=_("Edit participant"),
        subtitle=training.title,
        training=training,
        participant=participant,
        cancel_url=participants,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 1: upload. The rows and their problems are kept in the session for the preview."""
    training = _training(request, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw, notice = imports.read_workbook(form.cleaned_data["file"])
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            if notice:  # rows of the sheet that were not read
                messages.warning(request, notice)
            rows, problems = imports.parse_rows(raw, training=training)
            request.session[IMPORT_SESSION_KEY % training.pk] = {
                "rows": imports.rows_to_session(rows),
                "problems": problems,
                "file": form.cleaned_data["file"].name[:100],
            }
            return redirect("trainings:import_preview", pk=training.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "title": _("Import participants"),
            "subtitle": training.title,
            "training": training,
            "form": form,
            "cancel_url": reverse("trainings:participants", args=[training.pk]),
        },
    )


@login_required
@require_GET
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 2: every row and every problem; confirming is possible only without problems."""
    training = _training(request, pk, write=True)
    stored = request.session.get(IMPORT_SESSION_KEY % training.pk)
    if not stored:
        messages.info(request, _("Upload the list first."))
        return redirect("trainings:import", pk=training.pk)
    rows = imports.rows_from_session(stored["rows"], training=training)
    problems_by_row: dict[int, list[str]] = {}
    general = []
    for row, problem in stored["problems"]:
        if row:
            problems_by_row.setdefault(row, []).append(problem)
        else:
            general.append(problem)
    for r in rows:
        r["problems"] = problems_by_row.pop(r["row"], [])
        r["position_label"] = Participant.Position(r["position"]).label
        r["sex_label"] = Participant.Sex(r["sex"]).label if r["sex"] else ""
    general += [f"{_('Row')} {row}: {'; '.join(p)}" for row, p in problems_by_row.items()]
    return render(
        request,
        "trainings/import_preview.html",
        {
            "title": _("Check the list before importing"),
            "subtitle": training.title,
            "training": training,
            "rows": rows,
            "general": general,
            "problem_count": len(stored["problems"]),
            "file": stored["file"],
        },
    )


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Step 3: all rows or none."""
    training = _training(request, pk, write=True)
    key = IMPORT_SESSION_KEY % training.pk
    stored = request.session.get(key)
    if not stored:
        messages.info(request, _("Upload the list first."))
        return redirect("trainings:import", pk=training.pk)
    if stored["problems"]:
        messages.error(request, _("Correct the problems in the file and upload it again."))
        return redirect("trainings:import_preview", pk=training.pk)
    rows = imports.rows_from_session(stored["rows"], training=training)
    try:
        n = services.participants_import(training=training, rows=rows, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("trainings:import_preview", pk=training.pk)
    del request.session[key]
    messages.success(request, _("%(n)s participants were imported.") % {"n": n})
    return redirect("trainings:participants", pk=training.pk)


# --- Attendance and scores -----------------------------------------------------------------


@login_required
@require_GET
def checkin(request: AuthenticatedHttpRequest, pk: int, session_pk: int) -> HttpResponse:
    """The tap list at the door: one tap marks a person present on this day."""
    training = _training(request, pk, write=True)
    session = _child(TrainingSession.objects.filter(training=training), request, pk=session_pk)
    term = search_term(request)
    qs = selectors.checkin_list(training=training, session=session, term=term)
    page = paginate(request, qs, per_page=200)
    total = page.paginator.count if not term else training.participants.count()
    return render(
        request,
        "trainings/checkin.html",
        {
            "title": _("Check-in"),
            "training": training,
            "session": session,
            "page_obj": page,
            "present_count": session.attendances.count(),
            "total": total,
            "sessions": training.sessions.all(),
        },
    )


@login_required
@require_POST
def checkin_mark(
    request: AuthenticatedHttpRequest, pk: int, session_pk: int, participant_pk: int
) -> HttpResponse:
    training = _training(request, pk, write=True)
    session = _child(TrainingSession.objects.filter(training=training), request, pk=session_pk)
    participant = _child(Participant.objects.filter(training=training), request, pk=participant_pk)
    present = request.POST.get("present", "1") != "0"
    try:
        services.attendance_mark(
            session=session, participant=participant, present=present, by=request.user
        )
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        participant.present = present
        return render(
            request,
            "trainings/_checkin_row.html",
            {"p": participant, "training": training, "session": session},
        )
    url = reverse("trainings:checkin", args=[training.pk, session.pk])
    q = request.POST.get("q", "")
    return redirect(f"{url}?q={q}#p{participant.pk}" if q else f"{url}#p{participant.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def scores(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Pre- and post-test scores (0–100), one page of participants at a time."""
    training = _training(request, pk, write=True)
    page = paginate(
        request, training.participants.order_by(*by_name("full_name"), "pk"), per_page=50
    )
    errors: dict[int, str] = {}
    if request.method == "POST":
        values: dict[int, tuple[int | None, int | None]] = {}
        for p in page.object_list:
            pair: list[int | None] = []
            for prefix in ("pre", "post"):
                raw = request.POST.get(f"{prefix}_{p.pk}", "").strip()
                if raw == "":
                    pair.append(None)
                elif raw.isdigit() and int(raw) <= 100:
                    pair.append(int(raw))
                else:
                    errors[p.pk] = _("A score is a whole number from 0 to 100.")
                    pair.append(None)
            values[p.pk] = (pair[0], pair[1])
        if not errors:
            n = services.scores_record(training=training, scores=values)
            messages.success(request, _("Scores saved (%(n)s changed).") % {"n": n})
            return redirect(f"{reverse('trainings:scores', args=[training.pk])}?page={page.number}")
        messages.error(request, _("Nothing was saved: correct the scores marked below."))
    rows = [
        {
            "p": p,
            "pre": request.POST.get(f"pre_{p.pk}", p.pre_score if p.pre_score is not None else ""),
            "post": request.POST.get(
                f"post_{p.pk}", p.post_score if p.post_score is not None else ""
            ),
            "error": errors.get(p.pk),
        }
        for p in page.object_list
    ]
    return render(
        request,
        "trainings/scores.html",
        {
            "title": _("Test scores"),
            "subtitle": training.title,
            "training": training,
            "page_obj": page,
            "rows": rows,
        },
    )


# --- Materials -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def materials(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk, write=request.method == "POST")
    form = MaterialForm(request.POST or None, request.FILES or None)

    def save() -> Any:
        upload = form.cleaned_data["file"]
        return services.material_add(
            training=training,
            title=form.cleaned_data["title"],
            name=form.cleaned_data["name"] or upload.name,
            fileobj=upload,
            size=upload.size,
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success=_("The file was uploaded."),
        next_url=reverse("trainings:materials", args=[training.pk]),
        template="trainings/materials.html",
        title=_("Materials"),
        subtitle=training.title,
        training=training,
        materials=training.materials.select_related("uploaded_by"),
        can_manage=can_manage(request.user),
    )


@login_required
@require_GET
def material_download(request: AuthenticatedHttpRequest, pk: int, material_pk: int) -> FileResponse:
    training = _training(request, pk)
    material = _child(TrainingMaterial.objects.filter(training=training), request, pk=material_pk)
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=material.kind not in ("pdf", "jpg", "png"),
        filename=material.original_name,
        content_type=_content_type(material.kind),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _content_type(kind: str) -> str:
    from trainings.files import CONTENT_TYPES

    return CONTENT_TYPES[kind]


@login_required
@require_POST
def material_delete(request: AuthenticatedHttpRequest, pk: int, material_pk: int) -> HttpResponse:
    if (first := repeat_answer(request)) is not None:  # a double tap on the confirmation
        return first
    training = _training(request, pk, write=True)
    material = _child(TrainingMaterial.objects.filter(training=training), request, pk=material_pk)
    return _confirm_delete(
        request,
        delete=lambda: services.material_delete(material=material),
        title=_("Delete this file?"),
        will=[
            _("The file “%(title)s” (%(name)s) is deleted from the materials of “%(training)s”.")
            % {"title": material.title, "name": material.original_name, "training": training.title}
        ],
        success=_("The file was deleted."),
        next_url=reverse("trainings:materials", args=[training.pk]),
    )


# --- After the event -----------------------------------------------------------------------


@login_required
@require_GET
def attendance_sheet(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A printable sheet per day for signatures (A4, one row per participant)."""
    training = _training(request, pk)
    privacy.require_people(request.user)
    sessions = list(training.sessions.all())
    chosen = request.GET.get("session")
    if chosen:
        sessions = [s for s in sessions if str(s.pk) == chosen] or sessions
    participants = list(
        selectors.named_participants(training=training, viewer=request.user)
        .select_related("area")
        .order_by(*by_name("full_name"), "pk")
    )
    return render(
        request,
        "trainings/attendance_sheet.html",
        {
            "title": _("Attendance sheet"),
            "training": training,
            "sessions": sessions,
            "participants": participants,
            "trainers": training.trainers.all(),
        },
    )


def _certificate_entries(training: Training, participants: Any) -> list[tuple[Any, list]]:
    qs = participants.prefetch_related(
        Prefetch(
            "attendances",
            queryset=SessionAttendance.objects.select_related("session").order_by("session__day"),
        )
    ).order_by(*by_name("full_name"), "pk")
    return [(p, [a.session for a in p.attendances.all()]) for p in qs if p.attendances.all()]


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def certificates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every participant who attended at least one day: one page each."""
    training = _training(request, pk)
    privacy.require_people(request.user)
    named = selectors.named_participants(training=training, viewer=request.user)
    entries = _certificate_entries(training, named)
    if not entries:
        messages.info(request, _("No one has been marked present yet: no certificate to print."))
        return redirect("trainings:participants", pk=training.pk)
    return _pdf_response(
        certificates_pdf(training=training, entries=entries), f"chung-nhan-{training.pk}.pdf"
    )


@login_required
@require_GET
def certificate(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    training = _training(request, pk)
    privacy.require_people(request.user)
    named = selectors.named_participants(training=training, viewer=request.user)
    participant = _child(named, request, pk=participant_pk)  # someone else's: 404
    entries = _certificate_entries(training, Participant.objects.filter(pk=participant.pk))
    if not entries:
        messages.info(
            request,
            _("%(name)s was not marked present on any day: no certificate.")
            % {"name": participant.full_name},
        )
        return redirect("trainings:participants", pk=training.pk)
    return _pdf_response(
        certificates_pdf(training=training, entries=entries),
        f"chung-nhan-{training.pk}-{participant.pk}.pdf",
    )


@login_required
@require_GET
def summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    training = _training(request, pk)
    return render(
        request,
        "trainings/summary.html",
        {
            "title": _("Summary"),
            "subtitle": training.title,
            "training": training,
            **selectors.training_summary(training=training, viewer=request.user),
        },
    )


def _page(request: AuthenticatedHttpRequest, qs: Any, param: str, per_page: int = 25) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get(param))


@login_required
@require_GET
def coverage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which communes and clubs have a trained leader (association staff and viewers)."""
    if not scoping.is_staff_role(request.user) and not request.user.area_id:
        raise PermissionDenied
    data = selectors.coverage(viewer=request.user)
    return render(
        request,
        "trainings/coverage.html",
        {
            "title": _("Training coverage"),
            "cutoff": data["cutoff"],
            "totals": data["totals"],
            "communes": _page(request, data["communes"], "page"),
            "untrained_chairs": _page(request, data["untrained_chairs"], "cpage"),
            "founded_after": _page(request, data["founded_after"], "fpage"),
        },
    )
