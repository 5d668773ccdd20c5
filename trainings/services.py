"""Writes of the trainings app: keyword-only, atomic, raising TrainingError on bad input."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from config.text import fold
from trainings.files import check_upload
from trainings.models import (
    Participant,
    SessionAttendance,
    Trainer,
    Training,
    TrainingMaterial,
    TrainingSession,
)

if TYPE_CHECKING:
    from accounts.models import User
    from members.models import Member

TRAINING_FIELDS = (
    "title",
    "organiser",
    "partners",
    "starts_on",
    "ends_on",
    "venue",
    "topics",
    "audience",
    "capacity",
    "status",
)
PARTICIPANT_FIELDS = (
    "full_name",
    "position",
    "title",
    "unit",
    "area",
    "sex",
    "ethnicity",
    "phone",
    "user",
    "member",
)
MAX_DAYS = 14


class TrainingError(ValidationError):
    """A training write that breaks a rule; views show it next to the field or on top."""


def normalize_phone(raw: str | None) -> str:
    """ "+84 912.345.678" -> "0912345678": one spelling per number, so duplicates are found."""
    digits = re.sub(r"[^\d+]", "", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits.replace("+", "")[:15]


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise TrainingError({"ends_on": _("The last day cannot be before the first day.")})
    if (ends_on - starts_on).days >= MAX_DAYS:
        raise TrainingError(
            {"ends_on": _("A training lasts at most %(n)s days.") % {"n": MAX_DAYS}}
        )


def _sync_sessions(training: Training) -> None:
    """One session per day of the event: add missing days, drop days no longer in the range
    unless someone was checked in on them."""
    days = set(training.days())
    existing = {s.day: s for s in training.sessions.all()}
    dropped = [s for day, s in existing.items() if day not in days]
    if dropped and SessionAttendance.objects.filter(session__in=dropped).exists():
        raise TrainingError(
            {"starts_on": _("Attendance was already taken on a day outside the new dates.")}
        )
    TrainingSession.objects.filter(pk__in=[s.pk for s in dropped]).delete()
    TrainingSession.objects.bulk_create(
        [TrainingSession(training=training, day=day) for day in sorted(days) if day not in existing]
    )


@transaction.atomic
def training_create(*, by: User, data: dict[str, Any]) -> Training:
    _check_dates(data["starts_on"], data["ends_on"])
    training = Training(created_by=by, **{k: data[k] for k in TRAINING_FIELDS if k in data})
    training.full_clean()
    training.save()
    _sync_sessions(training)
    return training


@transaction.atomic
def training_update(*, training: Training, data: dict[str, Any]) -> Training:
    _check_dates(data["starts_on"], data["ends_on"])
    if data.get("capacity") is not None:
        count = training.participants.count()
        if data["capacity"] < count:
            raise TrainingError(
                {
                    "capacity": _(
                        "%(n)s people are already registered: the capacity cannot be lower."
                    )
                    % {"n": count}
                }
            )
    for key in TRAINING_FIELDS:
        if key in data:
            setattr(training, key, data[key])
    training.full_clean()
    training.save()
    _sync_sessions(training)
    return training


@transaction.atomic
def trainer_add(*, training: Training, name: str, title: str) -> Trainer:
    order = training.trainers.count()
    trainer = Trainer(training=training, name=name.strip(), title=title.strip(), order=order)
    trainer.full_clean()
    trainer.save()
    return trainer


@transaction.atomic
def session_update(*, session: TrainingSession, data: dict[str, Any]) -> TrainingSession:
    for key in ("starts_at", "ends_at", "venue", "agenda"):
        if key in data:
            setattr(session, key, data[key])
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        raise TrainingError({"ends_at": _("The end time must be after the start time.")})
    session.full_clean()
    session.save()
    return session


def _lock(training: Training) -> Training:
    # Two people registering at the door at once must not both take the last seat.
    return Training.objects.select_for_update().get(pk=training.pk)


def _check_open(training: Training) -> None:
    if training.status == Training.Status.CANCELLED:
        raise TrainingError(_("This training was cancelled: nothing can be registered."))


def _capacity_error(training: Training, adding: int, count: int) -> TrainingError:
    free = max((training.capacity or 0) - count, 0)  # the callers checked there is a capacity
    return TrainingError(
        _(
            "The training is full: capacity %(capacity)s, %(count)s registered, "
            "%(free)s place(s) left, %(adding)s to add."
        )
        % {"capacity": training.capacity, "count": count, "free": free, "adding": adding}
    )


def duplicate_of(
    training: Training, data: dict[str, Any], exclude_pk: int | None = None
) -> tuple[str, str] | None:
    """(field, message) when someone like this is already registered for the training."""
    qs = training.participants.all()
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    phone = normalize_phone(data.get("phone"))
    name_key, unit_key = fold(data.get("full_name")), fold(data.get("unit"))
    q = Q(search_name=name_key, unit_key=unit_key)
    if phone:
        q |= Q(phone=phone)
    if data.get("member"):
        q |= Q(member=data["member"])
    if data.get("user"):
        q |= Q(user=data["user"])
    other = qs.filter(q).first()
    if other is None:
        return None
    if phone and other.phone == phone:
        return "phone", _("%(name)s is already registered with this phone number.") % {
            "name": other.full_name
        }
    if other.search_name == name_key and other.unit_key == unit_key:
        return "full_name", _("%(name)s of this unit is already registered.") % {
            "name": other.full_name
        }
    field = "member" if data.get("member") and other.member_id == data["member"].pk else "user"
    return field, _("This person is already registered as %(name)s.") % {"name": other.full_name}


def _build(training: Training, data: dict[str, Any], on_site: bool = False) -> Participant:
    values = {k: data.get(k) for k in PARTICIPANT_FIELDS}
    for key in ("title", "unit", "ethnicity", "phone"):
        values[key] = values[key] or ""
    values["phone"] = normalize_phone(values["phone"])
    return Participant(training=training, registered_on_site=on_site, **values)


@transaction.atomic
def participant_register(
    *,
    training: Training,
    data: dict[str, Any],
    by: User,
    checkin_session: TrainingSession | None = None,
) -> Participant:
    """Registers one person; with ``checkin_session`` (late registration at the door) they are
    also marked present on that day."""
    training = _lock(training)
    _check_open(training)
    count = training.participants.count()
    if training.capacity is not None and count + 1 > training.capacity:
        raise _capacity_error(training, 1, count)
    if dup := duplicate_of(training, data):
        raise TrainingError({dup[0]: dup[1]})
    participant = _build(training, data, on_site=checkin_session is not None)
    participant.full_clean(exclude=["training"])
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:  # a twin registered in the same instant
        raise TrainingError({"full_name": _("This person is already registered.")}) from exc
    if checkin_session is not None:
        attendance_mark(session=checkin_session, participant=participant, present=True, by=by)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, data: dict[str, Any]) -> Participant:
    if dup := duplicate_of(participant.training, data, exclude_pk=participant.pk):
        raise TrainingError({dup[0]: dup[1]})
    built = _build(participant.training, data)
    for key in PARTICIPANT_FIELDS:
        setattr(participant, key, getattr(built, key))
    participant.full_clean(exclude=["training"])
    participant.save()
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant) -> None:
    participant.delete()


@transaction.atomic
def participants_import(*, training: Training, rows: list[dict[str, Any]], by: User) -> int:
    """Registers every row or none (the whole list is refused on the first problem)."""
    training = _lock(training)
    _check_open(training)
    count = training.participants.count()
    if training.capacity is not None and count + len(rows) > training.capacity:
        raise _capacity_error(training, len(rows), count)
    for i, data in enumerate(rows, start=1):
        if dup := duplicate_of(training, data):
            raise TrainingError(
                _("Row %(row)s: %(msg)s") % {"row": data.get("row", i), "msg": dup[1]}
            )
        participant = _build(training, data)
        try:
            participant.full_clean(exclude=["training"])
        except ValidationError as exc:
            raise TrainingError(
                _("Row %(row)s: %(msg)s")
                % {"row": data.get("row", i), "msg": "; ".join(exc.messages)}
            ) from exc
        participant.save()
    return len(rows)


@transaction.atomic
def attendance_mark(
    *, session: TrainingSession, participant: Participant, present: bool, by: User
) -> bool:
    """Marks (or unmarks) a participant present on one day; returns the new state."""
    if participant.training_id != session.training_id:
        raise TrainingError(_("This person is not registered for this training."))
    if session.training.status == Training.Status.CANCELLED:
        raise TrainingError(_("This training was cancelled."))
    if present:
        SessionAttendance.objects.get_or_create(
            session=session, participant=participant, defaults={"checked_in_by": by}
        )
    else:
        SessionAttendance.objects.filter(session=session, participant=participant).delete()
    return present


@transaction.atomic
def scores_record(*, training: Training, scores: dict[int, tuple[int | None, int | None]]) -> int:
    """Saves pre/post test scores by participant id; ids of another training are refused."""
    participants = {p.pk: p for p in training.participants.filter(pk__in=list(scores))}
    if len(participants) != len(scores):
        raise TrainingError(_("Some of these people are not registered for this training."))
    changed = []
    for pk, (pre, post) in scores.items():
        p = participants[pk]
        if (p.pre_score, p.post_score) != (pre, post):
            p.pre_score, p.post_score = pre, post
            changed.append(p)
    Participant.objects.bulk_update(changed, ["pre_score", "post_score"])
    return len(changed)


@transaction.atomic
def material_add(
    *, training: Training, title: str, name: str, fileobj: IO[bytes], size: int, by: User
) -> TrainingMaterial:
    """Stores a checked file under trainings/<id>/ with a generated name."""
    from trainings.files import UploadRefused

    try:
        display, kind = check_upload(name=name, fileobj=fileobj, size=size)
    except UploadRefused as exc:
        raise TrainingError({"file": str(exc)}) from exc
    material = TrainingMaterial(
        training=training,
        title=title.strip() or display,
        original_name=display,
        kind=kind,
        size=size,
        uploaded_by=by,
    )
    fileobj.seek(0)
    material.file.save(f"{uuid.uuid4().hex}.{kind}", File(fileobj), save=False)
    try:
        material.full_clean()
        material.save()
    except Exception:
        material.file.delete(save=False)
        raise
    return material


@transaction.atomic
def material_delete(*, material: TrainingMaterial) -> None:
    storage, name = material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Personal data: consent withdrawn, anonymisation ------------------------------------------


def participants_sensitive_erase(*, member: Member) -> int:
    """A member withdrew consent: the ethnicity written on their training registrations goes
    too (sensitive, ``accounts.privacy``). Returns the registrations changed."""
    with transaction.atomic():
        return Participant.objects.filter(member=member).exclude(ethnicity="").update(ethnicity="")


def participants_anonymise(*, member: Member, name: str) -> int:
    """The training registrations of an anonymised member: ``name`` instead of theirs, no phone
    and no ethnicity. Attendance and scores stay, so the training's figures do not change."""
    with transaction.atomic():
        return Participant.objects.filter(member=member).update(
            full_name=name, search_name=fold(name), phone="", ethnicity=""
        )
