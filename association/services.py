"""Writes of the association app: keyword-only, atomic, raising ``AssociationError``."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from association.models import (
    AssessmentCriterion,
    AssessmentRound,
    AssessmentScore,
    AssessmentStep,
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
from clubs.models import Area, Club
from clubs.services import club_create
from trainings.files import UploadRefused, check_upload

if TYPE_CHECKING:
    from accounts.models import User


class AssociationError(ValidationError):
    """An association write that breaks a rule; views show it next to the field."""


def _clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise AssociationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


def _save(obj: Any, *, by: User | None = None, **clean: Any) -> Any:
    if by is not None and hasattr(type(obj), "history"):
        obj._history_user = by
    _clean(obj, **clean)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise AssociationError(_("This record already exists.")) from exc
    return obj


def _stored_file(name: str, fileobj: IO[bytes], size: int, field: str) -> tuple[str, str]:
    try:
        return check_upload(name=name, fileobj=fileobj, size=size)
    except UploadRefused as exc:
        raise AssociationError({field: str(exc)}) from exc


# --- Units, branches, committees -------------------------------------------------------------


@transaction.atomic
def unit_save(*, unit: AssociationUnit, by: User) -> AssociationUnit:
    new = unit.pk is None
    _save(unit, exclude=["search_name"])
    if new:
        _open_rounds_for(unit.area.province_id)
    return unit


def _open_rounds_for(province_id: int | None) -> None:
    """A commune unit created while its province's round is open is assessed in it too."""
    for rnd in AssessmentRound.objects.filter(
        province_id=province_id, status=AssessmentRound.Status.OPEN
    ):
        assessments_open(rnd=rnd)


def unit_name_for(area: Area) -> str:
    return f"Hội Người cao tuổi {area.name}"


@transaction.atomic
def units_create_missing(*, province: Area, by: User | None = None) -> int:
    """The units of the province and of every commune of it that has none yet."""
    areas = Area.objects.filter(pk=province.pk) | Area.objects.filter(
        province=province, level=Area.Level.COMMUNE, active=True
    )
    missing = areas.filter(association_unit__isnull=True)
    created = AssociationUnit.objects.bulk_create(
        [AssociationUnit(area=a, name=unit_name_for(a), search_name="") for a in missing]
    )
    for unit in created:  # search_name from the name (bulk_create skips save())
        unit.save(update_fields=["search_name"])
    if created:
        _open_rounds_for(province.pk)
    return len(created)


@transaction.atomic
def branch_save(*, branch: Branch, clubs: Iterable[Club] | None = None, by: User) -> Branch:
    _save(branch, exclude=["search_name", "clubs"])
    if clubs is not None:
        clubs = list(clubs)
        if any(c.commune_id != branch.unit.area_id for c in clubs):
            raise AssociationError({"clubs": _("Choose clubs of this commune.")})
        branch.clubs.set(clubs)
    return branch


@transaction.atomic
def branch_delete(*, branch: Branch) -> None:
    branch.delete()


@transaction.atomic
def term_save(*, term: CommitteeTerm, by: User) -> CommitteeTerm:
    return _save(term)


@transaction.atomic
def seat_save(*, seat: CommitteeMember, by: User) -> CommitteeMember:
    area = seat.term.unit.area
    if (
        seat.member_id
        and seat.member
        and area.level == Area.Level.COMMUNE
        and seat.member.club.commune_id != area.pk
    ):
        raise AssociationError({"member": _("Choose a member of a club of this commune.")})
    return _save(seat, exclude=["search_name"])


@transaction.atomic
def seat_delete(*, seat: CommitteeMember) -> None:
    seat.delete()


# --- Membership returns --------------------------------------------------------------------


@transaction.atomic
def return_save(*, ret: MembershipReturn, by: User) -> MembershipReturn:
    """A draft return saved (a return sent to the province is changed only after it comes
    back)."""
    if ret.pk:
        locked = MembershipReturn.objects.select_for_update().get(pk=ret.pk)
        if locked.status != MembershipReturn.Status.DRAFT:
            raise AssociationError(_("This return was sent to the province; it cannot change."))
    ret.filled_by = by
    return _save(ret)


@transaction.atomic
def return_submit(*, ret: MembershipReturn, by: User) -> MembershipReturn:
    locked = MembershipReturn.objects.select_for_update().get(pk=ret.pk)
    if locked.status != MembershipReturn.Status.DRAFT:
        raise AssociationError(_("Only a draft return can be sent."))
    _clean(locked)
    locked.status = MembershipReturn.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    return locked


@transaction.atomic
def return_review(
    *, ret: MembershipReturn, by: User, accept: bool, note: str = ""
) -> MembershipReturn:
    """The province accepts a sent return, or sends it back (with a reason) to be corrected."""
    locked = MembershipReturn.objects.select_for_update().get(pk=ret.pk)
    if locked.status != MembershipReturn.Status.SUBMITTED:
        raise AssociationError(_("Only a return that was sent can be reviewed."))
    if not accept and not note.strip():
        raise AssociationError({"review_note": _("Say why the return goes back.")})
    locked.status = MembershipReturn.Status.REVIEWED if accept else MembershipReturn.Status.DRAFT
    locked.review_note = note.strip()[:500]
    locked.reviewed_by = by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at", "updated_at"])
    return locked


# --- Assessment rounds -------------------------------------------------------------------


def _open_round(rnd: AssessmentRound) -> AssessmentRound:
    """The round locked for this transaction, refused once published. Two editors of the same
    round (criteria, publishing) queue on the row."""
    locked = AssessmentRound.objects.select_for_update().get(pk=rnd.pk)
    if locked.locked:
        raise AssociationError(_("This round was published; it is locked."))
    return locked


@transaction.atomic
def round_create(*, province: Area, year: int, by: User, title: str = "") -> AssessmentRound:
    """A round for the year, with the criteria and thresholds of the province's last round
    copied over, and an assessment in draft for each commune unit."""
    previous = (
        AssessmentRound.objects.filter(province=province, year__lt=year).order_by("-year").first()
    )
    rnd = AssessmentRound(
        province=province,
        year=year,
        title=title or f"Xếp loại Hội NCT cơ sở năm {year} — {province.name}",
    )
    if previous:
        rnd.strong_min, rnd.good_min = previous.strong_min, previous.good_min
        rnd.average_min = previous.average_min
    if AssessmentRound.objects.filter(province=province, year=year).exists():
        raise AssociationError({"year": _("This province already has a round for that year.")})
    _save(rnd, by=by)
    if previous:
        AssessmentCriterion.objects.bulk_create(
            [
                AssessmentCriterion(
                    round=rnd,
                    group=c.group,
                    name=c.name,
                    max_points=c.max_points,
                    guidance=c.guidance,
                    order=c.order,
                )
                for c in previous.criteria.all()
            ]
        )
    assessments_open(rnd=rnd)
    return rnd


def assessments_open(*, rnd: AssessmentRound) -> int:
    """A draft assessment for every commune unit of the round's province that has none."""
    units = AssociationUnit.objects.filter(
        area__province_id=rnd.province_id, area__level=Area.Level.COMMUNE
    ).exclude(assessments__round=rnd)
    made = UnitAssessment.objects.bulk_create(
        [UnitAssessment(round=rnd, unit=u) for u in units], ignore_conflicts=True
    )
    return len(made)


@transaction.atomic
def round_update(*, rnd: AssessmentRound, by: User) -> AssessmentRound:
    _open_round(rnd)
    _save(rnd, by=by)
    for a in rnd.assessments.filter(final_total__isnull=False):
        result = rnd.classify(a.final_total)
        if result != a.result:
            a.result = result
            a.save(update_fields=["result", "updated_at"])
    return rnd


@transaction.atomic
def criterion_save(*, criterion: AssessmentCriterion, by: User) -> AssessmentCriterion:
    _open_round(criterion.round)
    if criterion.pk and criterion.scores.filter(self_score__gt=criterion.max_points).exists():
        raise AssociationError(
            {"max_points": _("Some units already gave more points than that; lower them first.")}
        )
    return _save(criterion)


@transaction.atomic
def criterion_delete(*, criterion: AssessmentCriterion) -> None:
    _open_round(criterion.round)
    assessment_ids = list(criterion.scores.values_list("assessment_id", flat=True))
    criterion.delete()
    for a in UnitAssessment.objects.filter(pk__in=assessment_ids):
        _retotal(a)


def _retotal(a: UnitAssessment) -> None:
    sums = a.scores.aggregate(s=Sum("self_score"), f=Sum("final_score"))
    a.self_total = sums["s"] or Decimal(0)
    a.save(update_fields=["self_total", "updated_at"])


def _lock_assessment(a: UnitAssessment, *states: str) -> UnitAssessment:
    locked = UnitAssessment.objects.select_for_update().select_related("round").get(pk=a.pk)
    if locked.round.locked:
        raise AssociationError(_("This round was published; it is locked."))
    if locked.status not in states:
        raise AssociationError(
            _("This assessment is %(status)s; it cannot be changed now.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _step(a: UnitAssessment, action: str, by: User, note: str = "") -> None:
    AssessmentStep.objects.create(assessment=a, action=action, by=by, note=note[:500])


def _score_rows(a: UnitAssessment) -> dict[int, AssessmentScore]:
    """Every criterion's score row of the assessment (made when missing)."""
    rows = {s.criterion_id: s for s in a.scores.select_related("criterion")}
    missing = [
        AssessmentScore(assessment=a, criterion=c)
        for c in a.round.criteria.exclude(pk__in=list(rows))
    ]
    for s in AssessmentScore.objects.bulk_create(missing):
        rows[s.criterion_id] = s
    for s in rows.values():
        s.criterion  # noqa: B018  (loaded above or on first use)
    return rows


@transaction.atomic
def scores_save(
    *, assessment: UnitAssessment, scores: dict[int, tuple[Decimal | None, str]], by: User
) -> UnitAssessment:
    """The unit's own points and notes by criterion id; a score above a criterion's maximum
    is refused next to that criterion."""
    a = _lock_assessment(assessment, UnitAssessment.Status.DRAFT)
    rows = _score_rows(a)
    if set(scores) - set(rows):
        raise AssociationError(_("Some of these criteria are not in this round."))
    errors: dict[str, Any] = {}
    for cid, (value, note) in scores.items():
        row = rows[cid]
        row.self_score, row.note = value, (note or "").strip()[:500]
        try:
            row.full_clean(exclude=["assessment", "criterion", "evidence"])
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                errors[f"score_{cid}"] = msgs
    if errors:
        raise AssociationError(errors)
    AssessmentScore.objects.bulk_update([rows[c] for c in scores], ["self_score", "note"])
    a._history_user = by
    a.self_total = sum((r.self_score or Decimal(0) for r in rows.values()), Decimal(0))
    a.save(update_fields=["self_total", "updated_at"])
    return a


@transaction.atomic
def evidence_add(
    *,
    assessment: UnitAssessment,
    criterion: AssessmentCriterion,
    name: str,
    fileobj: IO[bytes],
    size: int,
    by: User,
) -> AssessmentScore:
    """A file that shows a criterion is met, checked by its content like training materials."""
    a = _lock_assessment(assessment, UnitAssessment.Status.DRAFT)
    rows = _score_rows(a)
    row = rows.get(criterion.pk)
    if row is None:
        raise AssociationError(_("This criterion is not in this round."))
    display, kind = _stored_file(name, fileobj, size, "file")
    old = row.evidence.name if row.evidence else ""
    fileobj.seek(0)
    row.evidence.save(f"{uuid.uuid4().hex}.{kind}", File(fileobj), save=False)
    row.evidence_name, row.evidence_kind = display, kind
    row.save(update_fields=["evidence", "evidence_name", "evidence_kind"])
    if old:
        storage = row.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))
    return row


@transaction.atomic
def assessment_submit(*, assessment: UnitAssessment, by: User) -> UnitAssessment:
    a = _lock_assessment(assessment, UnitAssessment.Status.DRAFT)
    rows = _score_rows(a)
    if not rows:
        raise AssociationError(_("The round has no criteria yet."))
    if any(r.self_score is None for r in rows.values()):
        raise AssociationError(_("Score every criterion before sending."))
    a._history_user = by
    a.status = UnitAssessment.Status.SUBMITTED
    a.return_reason = ""
    a.save(update_fields=["status", "return_reason", "updated_at"])
    _step(a, AssessmentStep.Action.SUBMITTED, by)
    return a


@transaction.atomic
def assessment_return(*, assessment: UnitAssessment, by: User, reason: str) -> UnitAssessment:
    """Back to the commune, with the reason, to be scored again."""
    if not reason.strip():
        raise AssociationError({"reason": _("Say why the assessment goes back.")})
    a = _lock_assessment(
        assessment, UnitAssessment.Status.SUBMITTED, UnitAssessment.Status.REVIEWED
    )
    a._history_user = by
    a.status = UnitAssessment.Status.DRAFT
    a.return_reason = reason.strip()[:500]
    a.save(update_fields=["status", "return_reason", "updated_at"])
    _step(a, AssessmentStep.Action.RETURNED, by, reason.strip())
    return a


@transaction.atomic
def assessment_review(
    *,
    assessment: UnitAssessment,
    finals: dict[int, Decimal | None],
    comment: str,
    by: User,
) -> UnitAssessment:
    """The province's final points by criterion id (empty: the unit's own), its comment and
    the class the total falls in."""
    a = _lock_assessment(
        assessment, UnitAssessment.Status.SUBMITTED, UnitAssessment.Status.REVIEWED
    )
    rows = _score_rows(a)
    if set(finals) - set(rows):
        raise AssociationError(_("Some of these criteria are not in this round."))
    errors: dict[str, Any] = {}
    for cid, row in rows.items():
        value = finals.get(cid)
        row.final_score = value if value is not None else row.self_score
        try:
            row.full_clean(exclude=["assessment", "criterion", "evidence"])
        except ValidationError as exc:
            for msgs in exc.message_dict.values():
                errors[f"final_{cid}"] = msgs
    if errors:
        raise AssociationError(errors)
    AssessmentScore.objects.bulk_update(list(rows.values()), ["final_score"])
    a._history_user = by
    a.final_total = sum((r.final_score or Decimal(0) for r in rows.values()), Decimal(0))
    a.result = a.round.classify(a.final_total)
    a.comment = comment.strip()
    a.status = UnitAssessment.Status.REVIEWED
    a.save(update_fields=["final_total", "result", "comment", "status", "updated_at"])
    _step(a, AssessmentStep.Action.REVIEWED, by)
    return a


@transaction.atomic
def round_publish(*, rnd: AssessmentRound, by: User) -> int:
    """Publishes the reviewed assessments and locks the round. Returns how many."""
    locked = _open_round(rnd)
    reviewed = list(
        UnitAssessment.objects.select_for_update().filter(
            round=locked, status=UnitAssessment.Status.REVIEWED
        )
    )
    if not reviewed:
        raise AssociationError(_("No assessment has been reviewed yet."))
    now = timezone.now()
    UnitAssessment.objects.filter(pk__in=[a.pk for a in reviewed]).update(
        status=UnitAssessment.Status.PUBLISHED, updated_at=now
    )
    AssessmentStep.objects.bulk_create(
        [
            AssessmentStep(assessment=a, action=AssessmentStep.Action.PUBLISHED, by=by, at=now)
            for a in reviewed
        ]
    )
    locked._history_user = by
    locked.status = AssessmentRound.Status.PUBLISHED
    locked.published_at, locked.published_by = now, by
    locked.save(update_fields=["status", "published_at", "published_by"])
    return len(reviewed)


# --- Founding plans --------------------------------------------------------------------------


@transaction.atomic
def plan_save(*, plan: FoundingPlan, by: User) -> FoundingPlan:
    if plan.pk and (
        plan.targets.exclude(year__range=(plan.start_year, plan.end_year)).exists()
        or plan.foundings.exclude(year__range=(plan.start_year, plan.end_year)).exists()
    ):
        raise AssociationError(
            {"start_year": _("Some targets or clubs fall outside these years; change them first.")}
        )
    return _save(plan, by=by)


@transaction.atomic
def target_save(*, target: FoundingTarget, by: User) -> FoundingTarget:
    return _save(target, by=by)


@transaction.atomic
def target_delete(*, target: FoundingTarget) -> None:
    target.delete()


@transaction.atomic
def founding_save(*, founding: ClubFounding, by: User) -> ClubFounding:
    return _save(founding, by=by)


@transaction.atomic
def founding_step_record(
    *,
    founding: ClubFounding,
    done_on: datetime.date,
    responsible: str,
    by: User,
    note: str = "",
    document: tuple[str, IO[bytes], int] | None = None,
    decision_number: str = "",
    decision_issuer: str = "",
    club: Club | None = None,
) -> FoundingStep:
    """The next step of a club's founding. Steps come in order and never before the step
    before. The commune decision carries its number; the launch links the club, an existing
    one of the commune or a new one made from the pipeline with its founding decision."""
    # Two people recording the same step of one club queue on its row.
    f = ClubFounding.objects.select_for_update().select_related("commune").get(pk=founding.pk)
    step = f.next_step
    if step is None:
        raise AssociationError(_("This club is founded; every step is done."))
    if done_on > timezone.localdate():
        raise AssociationError({"done_on": _("This date is in the future.")})
    if f.step_on and done_on < f.step_on:
        raise AssociationError(
            {"done_on": _("This step cannot come before the previous one (%(day)s).")
             % {"day": f.step_on.strftime("%d/%m/%Y")}}
        )  # fmt: skip
    if not responsible.strip():
        raise AssociationError({"responsible": _("Say who was responsible.")})
    row = FoundingStep(
        founding=f,
        step=step,
        done_on=done_on,
        responsible=responsible.strip()[:120],
        note=note.strip()[:300],
        by=by,
    )
    if document is not None:
        name, fileobj, size = document
        display, kind = _stored_file(name, fileobj, size, "document")
        fileobj.seek(0)
        row.document.save(f"{uuid.uuid4().hex}.{kind}", File(fileobj), save=False)
        row.document_name, row.document_kind = display, kind
    if step == ClubFounding.Step.DECISION:
        if not decision_number.strip():
            raise AssociationError({"decision_number": _("Enter the decision's number.")})
        f.decision_number = decision_number.strip()[:60]
        f.decision_issuer = (decision_issuer.strip() or f"UBND {f.commune.name}")[:200]
    if step == ClubFounding.Step.LAUNCH:
        f.club = _launch_club(f, done_on=done_on, club=club, by=by)
    row.save()
    f._history_user = by
    f.step, f.step_on = step, done_on
    f.save()
    return row


def _launch_club(f: ClubFounding, *, done_on: datetime.date, club: Club | None, by: User) -> Club:
    decided = f.steps.filter(step=ClubFounding.Step.DECISION).first()
    decided_on = decided.done_on if decided else done_on
    if club is not None:
        if club.commune_id != f.commune_id:
            raise AssociationError({"club": _("Choose a club of this commune.")})
        if ClubFounding.objects.filter(club=club).exclude(pk=f.pk).exists():
            raise AssociationError({"club": _("This club is already linked to another plan.")})
        club.launched_on = club.launched_on or done_on
        club.founded_on = club.founded_on or decided_on
        club.decision_number = club.decision_number or f.decision_number
        club.decision_date = club.decision_date or decided_on
        club.decision_issuer = club.decision_issuer or f.decision_issuer
        club._history_user = by
        club.save()
        return club
    new = Club(
        name=f.name,
        commune=f.commune,
        village=f.village,
        founded_on=decided_on,
        decision_number=f.decision_number,
        decision_date=decided_on,
        decision_issuer=f.decision_issuer,
        launched_on=done_on,
        meeting_rule=Club.MeetingRule.NONE,
    )
    try:
        return club_create(club=new, by=by)
    except ValidationError as exc:
        raise AssociationError(exc.messages) from exc
