"""Writes of campaigns and emulation drives.

Keyword-only, one transaction each, ``full_clean()``, refusals as ``CampaignsError`` (a
``ValidationError`` naming its field) that views show beside the field. Money goes through
``funds.services`` only (the ledger is append-only); a commune's records of a campaign are
locked once its campaign report is approved.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scoping
from campaigns import selectors
from campaigns.models import (
    MAX_TARGET,
    Campaign,
    CampaignActivity,
    CampaignGift,
    CampaignReceipt,
    CampaignReport,
    CampaignReportEvent,
    CampaignsError,
    CampaignTarget,
    CampaignVisit,
    Commendation,
    EmulationCriterion,
    EmulationDrive,
    EmulationEvidence,
    EmulationRegistration,
    EmulationResult,
)
from clubs.models import Area, Club
from config.text import fold
from funds import services as funds_services
from funds.models import Fund, FundsError, LedgerEntry
from month.locking import assert_month_open
from month.models import Activity, HomeCareVisit
from trainings.files import UploadRefused, check_upload

if TYPE_CHECKING:
    from accounts.models import User
    from members.models import Member


def _today() -> datetime.date:
    return timezone.localdate()


def _full_clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise CampaignsError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        ) from exc


def _checked_file(name: str, fileobj: IO[bytes], size: int, field: str) -> tuple[str, str]:
    try:
        return check_upload(name=name, fileobj=fileobj, size=size)
    except UploadRefused as exc:
        raise CampaignsError({field: str(exc)}) from exc


def _in_period(campaign: Campaign, day: datetime.date, field: str = "date") -> None:
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise CampaignsError(
            {
                field: _("The date must fall within the campaign, %(start)s – %(end)s.")
                % {
                    "start": f"{campaign.starts_on:%d/%m/%Y}",
                    "end": f"{campaign.ends_on:%d/%m/%Y}",
                }
            }
        )
    if day > _today():
        raise CampaignsError({field: _("The date cannot be in the future.")})


def _campaign_area(campaign: Campaign, area: Area, field: str = "area") -> None:
    if area.pk not in selectors.area_ids_of(campaign):
        raise CampaignsError(
            {field: _("%(area)s does not take part in this campaign.") % {"area": area}}
        )


def _assert_report_open(campaign: Campaign, area_id: int | None, field: str | None = None) -> None:
    """A commune's records of a campaign are closed once its report is approved."""
    if area_id is None:
        return
    if CampaignReport.objects.filter(
        campaign=campaign, commune_id=area_id, status=CampaignReport.Status.APPROVED
    ).exists():
        message = _(
            "The campaign report of this commune has been approved: its records of the campaign "
            "are locked."
        )
        raise CampaignsError({field: message} if field else message)


def _funds_error(exc: FundsError, rename: Mapping[str, str]) -> CampaignsError:
    if hasattr(exc, "error_dict"):
        return CampaignsError({rename.get(k, k): v for k, v in exc.error_dict.items()})
    return CampaignsError(exc.messages)


# --- Campaigns -----------------------------------------------------------------------------


def _deployed_check(organiser: Area, communes: list[Area]) -> None:
    if communes and organiser.level != Area.Level.PROVINCE:
        raise CampaignsError({"deployed_to": _("Only a province deploys a campaign to communes.")})
    for commune in communes:
        if commune.level != Area.Level.COMMUNE or commune.province_id != organiser.pk:
            raise CampaignsError(
                {"deployed_to": _("%(area)s is not a commune of the province.") % {"area": commune}}
            )


@transaction.atomic
def campaign_create(
    *,
    title: str,
    kind: str,
    organiser: Area,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: User,
    theme: str = "",
    deployed_to: Iterable[Area] = (),
    plan: tuple[str, IO[bytes], int] | None = None,
) -> Campaign:
    """A campaign of a province (deployed to the communes given) or of a commune."""
    if organiser.level not in (Area.Level.PROVINCE, Area.Level.COMMUNE):
        raise CampaignsError({"organiser": _("Choose a province or a commune association.")})
    communes = list(deployed_to)
    _deployed_check(organiser, communes)
    campaign = Campaign(
        title=title.strip(),
        kind=kind,
        organiser=organiser,
        starts_on=starts_on,
        ends_on=ends_on,
        theme=theme.strip(),
        created_by=by,
    )
    _full_clean(campaign)
    if plan is not None:
        name, fileobj, size = plan
        display, file_kind = _checked_file(name, fileobj, size, "plan_file")
        campaign.plan_name, campaign.plan_kind = display, file_kind
        fileobj.seek(0)
        campaign.plan_file.save(f"{uuid.uuid4().hex}.{file_kind}", File(fileobj), save=False)
        stored = campaign.plan_file
        try:
            campaign.save()
        except Exception:
            stored.delete(save=False)
            raise
    else:
        campaign.save()
    campaign.deployed_to.set(communes)
    return campaign


def _has_records(campaign: Campaign, commune: Area) -> bool:
    """Whether a commune has done anything under the campaign: targets of its own, gifts,
    money raised, tagged activities or visits, a report written or sent."""
    return (
        CampaignTarget.objects.filter(campaign=campaign, commune=commune).exists()
        or CampaignGift.objects.filter(campaign=campaign, area=commune).exists()
        or CampaignReceipt.objects.filter(campaign=campaign, area=commune).exists()
        or CampaignActivity.objects.filter(
            campaign=campaign, activity__club__commune=commune
        ).exists()
        or CampaignVisit.objects.filter(campaign=campaign, visit__club__commune=commune).exists()
        or CampaignReport.objects.filter(campaign=campaign, commune=commune)
        .exclude(status=CampaignReport.Status.DRAFT, narrative="")
        .exists()
    )


def _dated_records(campaign: Campaign) -> list[tuple[Any, str]]:
    """The campaign's records with the date each is counted on."""
    return [
        (CampaignActivity.objects.filter(campaign=campaign), "activity__date"),
        (CampaignVisit.objects.filter(campaign=campaign), "visit__date"),
        (CampaignGift.objects.filter(campaign=campaign), "date"),
        (CampaignReceipt.objects.filter(campaign=campaign), "entry__date"),
    ]


def _period_keeps_records(
    campaign: Campaign, starts_on: datetime.date, ends_on: datetime.date
) -> None:
    """A new period must keep every tagged record, gift and receipt of the campaign inside
    it: they would silently drop out of the results otherwise."""
    errors: dict[str, str] = {}
    before, after = 0, 0
    first: datetime.date | None = None
    last: datetime.date | None = None
    for qs, path in _dated_records(campaign):
        early = qs.filter(**{f"{path}__lt": starts_on}).aggregate(n=Count("pk"), d=Min(path))
        late = qs.filter(**{f"{path}__gt": ends_on}).aggregate(n=Count("pk"), d=Max(path))
        before += early["n"]
        after += late["n"]
        if early["d"] is not None and (first is None or early["d"] < first):
            first = early["d"]
        if late["d"] is not None and (last is None or late["d"] > last):
            last = late["d"]
    if before and first is not None:
        errors["starts_on"] = _(
            "%(n)s records of the campaign are dated before this day (the first on "
            "%(date)s): they would no longer count. Untag them first or keep the start."
        ) % {"n": before, "date": f"{first:%d/%m/%Y}"}
    if after and last is not None:
        errors["ends_on"] = _(
            "%(n)s records of the campaign are dated after this day (the last on "
            "%(date)s): they would no longer count. Untag them first or keep the end."
        ) % {"n": after, "date": f"{last:%d/%m/%Y}"}
    if errors:
        raise CampaignsError(errors)


def _names(areas: Iterable[Area]) -> str:
    return ", ".join(sorted((a.name for a in areas), key=fold))


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    by: User,
    title: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    theme: str = "",
    deployed_to: Iterable[Area] = (),
    plan: tuple[str, IO[bytes], int] | None = None,
) -> Campaign:
    """Change a campaign from its page (the organiser's staff). The organiser never changes.
    Refused beside the field: a period changed once a commune's report was submitted or
    approved; the year changed once the campaign has targets or records; dates leaving a
    tagged record, gift or receipt outside; a commune withdrawn that has records. One history
    row per change (the communes added or withdrawn as its reason); nothing when nothing
    changed. ``plan`` replaces the plan document."""
    # Row lock: two edits of one campaign queue (each checks against the other's result).
    campaign = Campaign.objects.select_for_update().select_related("organiser").get(pk=campaign.pk)
    communes = list(deployed_to)
    _deployed_check(campaign.organiser, communes)
    before = set(campaign.deployed_to.values_list("pk", flat=True))
    added = [a for a in communes if a.pk not in before]
    kept = {a.pk for a in communes}
    withdrawn = list(Area.objects.filter(pk__in=before - kept))
    for commune in withdrawn:
        if _has_records(campaign, commune):
            raise CampaignsError(
                {
                    "deployed_to": _(
                        "%(area)s already has records of this campaign (targets, gifts, money "
                        "raised, tagged records or a report): it cannot be withdrawn."
                    )
                    % {"area": commune}
                }
            )
    moved = {
        name
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on))
        if getattr(campaign, name) != value
    }
    if moved:
        sent = campaign.reports.filter(
            status__in=[CampaignReport.Status.SUBMITTED, CampaignReport.Status.APPROVED]
        ).exists()
        if sent:
            message = _(
                "A commune's report on this campaign was submitted or approved with the "
                "figures of this period: the period can no longer change."
            )
            raise CampaignsError(dict.fromkeys(sorted(moved), message))
        if starts_on.year != campaign.starts_on.year and (
            campaign.targets.exists() or any(qs.exists() for qs, _path in _dated_records(campaign))
        ):
            raise CampaignsError(
                {
                    "starts_on": _(
                        "The campaign already has targets or records of %(year)s: its year "
                        "can no longer change."
                    )
                    % {"year": campaign.starts_on.year}
                }
            )
        _period_keeps_records(campaign, starts_on, ends_on)
    old_plan = campaign.plan_file.name if campaign.plan_file else ""
    campaign.title = title.strip()
    campaign.kind = kind
    campaign.starts_on = starts_on
    campaign.ends_on = ends_on
    campaign.theme = theme.strip()
    _full_clean(campaign)
    if plan is not None:
        name, fileobj, size = plan
        display, file_kind = _checked_file(name, fileobj, size, "plan_file")
        campaign.plan_name, campaign.plan_kind = display, file_kind
        fileobj.seek(0)
        campaign.plan_file.save(f"{uuid.uuid4().hex}.{file_kind}", File(fileobj), save=False)
        stored = campaign.plan_file
        transaction.on_commit(lambda: _forget_file(stored.storage, old_plan))
    changed = _changed_fields(campaign) or added or withdrawn
    if not changed:
        return campaign
    reasons = []
    if added:
        reasons.append(_("deployed to %(areas)s") % {"areas": _names(added)})
    if withdrawn:
        reasons.append(_("withdrawn from %(areas)s") % {"areas": _names(withdrawn)})
    campaign._change_reason = "; ".join(reasons)[:100] or None  # type: ignore[attr-defined]
    campaign._history_user = by  # type: ignore[attr-defined]
    try:
        campaign.save()
    except Exception:
        if plan is not None:
            campaign.plan_file.delete(save=False)
        raise
    if added or withdrawn:
        campaign.deployed_to.set(communes)
    return campaign


def _forget_file(storage: Any, name: str) -> None:
    """A replaced plan document, deleted once the new one is committed."""
    if name:
        storage.delete(name)


def _changed_fields(obj: Campaign | EmulationDrive) -> list[str]:
    """The fields whose value differs from the row in the database."""
    row = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    stored: dict[str, Any] = dict(row) if row else {}
    return [
        f.attname
        for f in obj._meta.concrete_fields
        if f.attname in stored and getattr(obj, f.attname) != stored[f.attname]
    ]


@transaction.atomic
def target_set(
    *, campaign: Campaign, indicator: str, number: Any, by: User, commune: Area | None = None
) -> CampaignTarget:
    """Set (or change) a target: the organiser's for the whole campaign or any commune; a
    commune's staff for their own commune."""
    if isinstance(number, bool) or not isinstance(number, int):
        raise CampaignsError({"number": _("Enter a whole number.")})
    if number < 0:
        raise CampaignsError({"number": _("A target cannot be below zero.")})
    if number > MAX_TARGET:
        raise CampaignsError({"number": _("The target is too large.")})
    if commune is not None:
        _campaign_area(campaign, commune, "commune")
        _assert_report_open(campaign, commune.pk, "commune")
    target, _created = CampaignTarget.objects.get_or_create(
        campaign=campaign, indicator=indicator, commune=commune, defaults={"number": number}
    )
    target.number = number
    target.set_by = by
    _full_clean(target, exclude=["campaign", "commune"])
    target.save()
    return target


def _care_fund(fund: Fund, area: Area, field: str = "fund") -> None:
    if fund.kind != Fund.Kind.CARE or fund.owner_area_id != area.pk:
        raise CampaignsError({field: _("Choose the care fund of %(area)s.") % {"area": area}})


@transaction.atomic
def gift_record(
    *,
    campaign: Campaign,
    area: Area,
    date: datetime.date,
    kind: str,
    value: int,
    by: User,
    member: Member | None = None,
    older_person: Any = None,
    person_name: str = "",
    village: str = "",
    given_by: str = "",
    fund: Fund | None = None,
) -> CampaignGift:
    """A gift or visit to a named older person; paid from a care fund when ``fund`` is
    given: the payment voucher is written in the same transaction (both or neither)."""
    _campaign_area(campaign, area)
    _in_period(campaign, date)
    _assert_report_open(campaign, area.pk, "area")
    if member is not None and older_person is not None:
        raise CampaignsError({"member": _("Choose either a member or an older person.")})
    if member is not None:
        person_name = member.full_name
        village = village or member.village
        # A gift to a member is a record of the club's month too: refused in a locked month.
        assert_month_open(member.club_id, date, field="date")
    elif older_person is not None:
        person_name = str(older_person)
    if not person_name.strip():
        raise CampaignsError({"person_name": _("Say who received the gift.")})
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CampaignsError({"value": _("The value must be greater than zero.")})
    entry = None
    if fund is not None:
        _care_fund(fund, area)
        try:
            entry = funds_services.entry_record(
                fund=fund,
                date=date,
                amount=value,
                direction=LedgerEntry.Direction.OUT,
                category=LedgerEntry.Category.HARDSHIP,
                by=by,
                payer=person_name.strip(),
                note=f"{campaign.title}: {dict(CampaignGift.Kind.choices).get(kind, kind)}"[:300],
            )
        except FundsError as exc:
            raise _funds_error(exc, {"amount": "value"}) from exc
    gift = CampaignGift(
        campaign=campaign,
        area=area,
        member=member,
        older_person=older_person,
        person_name=person_name.strip()[:120],
        village=village.strip()[:200],
        date=date,
        kind=kind,
        value=value,
        given_by=given_by.strip(),
        fund=fund,
        entry=entry,
        created_by=by,
    )
    _full_clean(gift, exclude=["older_person"])
    gift.save()
    return gift


@transaction.atomic
def receipt_record(
    *,
    campaign: Campaign,
    fund: Fund,
    date: datetime.date,
    amount: int,
    source: str,
    donor: str,
    by: User,
) -> CampaignReceipt:
    """Money raised for the campaign: a receipt of the association's care fund, tagged."""
    area = fund.owner_area
    if area is None:
        raise CampaignsError({"fund": _("Choose an association's care fund.")})
    _care_fund(fund, area)
    _campaign_area(campaign, area, "fund")
    _in_period(campaign, date)
    _assert_report_open(campaign, area.pk, "fund")
    if not donor.strip():
        raise CampaignsError({"donor": _("Say who gave the money.")})
    if source not in CampaignReceipt.Source.values:
        raise CampaignsError({"source": _("Choose where the money came from.")})
    category = (
        LedgerEntry.Category.GOVERNMENT
        if source == CampaignReceipt.Source.BUDGET
        else LedgerEntry.Category.DONATION
    )
    try:
        entry = funds_services.entry_record(
            fund=fund,
            date=date,
            amount=amount,
            direction=LedgerEntry.Direction.IN,
            category=category,
            by=by,
            payer=donor.strip(),
            note=campaign.title[:300],
        )
    except FundsError as exc:
        raise _funds_error(exc, {}) from exc
    receipt = CampaignReceipt(
        campaign=campaign,
        entry=entry,
        area=area,
        source=source,
        donor=donor.strip()[:200],
        recorded_here=True,
    )
    _full_clean(receipt, exclude=["entry"])
    receipt.save()
    return receipt


@transaction.atomic
def receipt_tag(
    *, campaign: Campaign, entry: LedgerEntry, source: str, donor: str = ""
) -> CampaignReceipt:
    """Tag a receipt already in an association's care-fund cash book as money raised for the
    campaign (the money was recorded before the campaign was set up)."""
    fund = entry.fund
    area = fund.owner_area
    if area is None or entry.direction != LedgerEntry.Direction.IN or entry.reverses_id:
        raise CampaignsError({"entry": _("Choose a receipt of an association's care fund.")})
    _care_fund(fund, area, "entry")
    _campaign_area(campaign, area, "entry")
    _in_period(campaign, entry.date, "entry")
    _assert_report_open(campaign, area.pk, "entry")
    if source not in CampaignReceipt.Source.values:
        raise CampaignsError({"source": _("Choose where the money came from.")})
    receipt = CampaignReceipt(
        campaign=campaign,
        entry=entry,
        area=area,
        source=source,
        donor=(donor or entry.payer).strip()[:200],
    )
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError as exc:
        raise CampaignsError(
            {"entry": _("This receipt is already tagged with a campaign.")}
        ) from exc
    return receipt


def _check_record(campaign: Campaign, club: Club, day: datetime.date, field: str) -> None:
    if club.commune_id not in selectors.area_ids_of(campaign):
        raise CampaignsError(
            {field: _("%(club)s is not in a commune of this campaign.") % {"club": club}}
        )
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise CampaignsError({field: _("Only records dated within the campaign can be tagged.")})
    _assert_report_open(campaign, club.commune_id, field)


@transaction.atomic
def records_tag(
    *,
    campaign: Campaign,
    by: User,
    activities: Iterable[Activity] = (),
    visits: Iterable[HomeCareVisit] = (),
) -> int:
    """Tag a club's activities and home-care visits as done under the campaign (a record
    belongs to one campaign at most). Returns how many were tagged."""
    made = 0
    for activity in activities:
        _check_record(campaign, activity.club, activity.date, "activities")
        _, created = CampaignActivity.objects.get_or_create(
            activity=activity, defaults={"campaign": campaign, "tagged_by": by}
        )
        made += created
    for visit in visits:
        _check_record(campaign, visit.club, visit.date, "visits")
        _, created = CampaignVisit.objects.get_or_create(
            visit=visit, defaults={"campaign": campaign, "tagged_by": by}
        )
        made += created
    return made


# --- Untagging -----------------------------------------------------------------------------

Tagged = CampaignActivity | CampaignVisit | CampaignGift | CampaignReceipt


def tagged_commune_id(record: Tagged) -> int | None:
    """The commune whose campaign report counts the record."""
    if isinstance(record, CampaignActivity):
        return record.activity.club.commune_id
    if isinstance(record, CampaignVisit):
        return record.visit.club.commune_id
    return record.area_id


def _reversed(entry_id: int | None) -> bool:
    return entry_id is not None and LedgerEntry.objects.filter(reverses_id=entry_id).exists()


def untag_check(*, record: Tagged) -> None:
    """Refuse (``CampaignsError``) to take ``record`` out of its campaign when that is not
    allowed: the commune's campaign report was approved (the records are locked), a gift paid
    from a care fund whose payment stands, money recorded on the campaign's page whose receipt
    stands (the ledger entry exists for the campaign and its source is kept only in the tag),
    a gift to a member in a month whose report was approved. The ledger is never touched."""
    _assert_report_open(record.campaign, tagged_commune_id(record))
    if isinstance(record, CampaignGift):
        entry = record.entry
        if entry is not None and not _reversed(entry.pk):
            raise CampaignsError(
                _(
                    "This gift was paid from %(fund)s (voucher %(voucher)s): the payment stays "
                    "in the cash book and the gift is its record. If the gift was recorded by "
                    "mistake, reverse the payment in the fund's cash book first."
                )
                % {"fund": entry.fund.name, "voucher": entry.voucher_number}
            )
        if record.member is not None:
            # A gift to a member is a record of the club's month too.
            assert_month_open(record.member.club_id, record.date)
    if (
        isinstance(record, CampaignReceipt)
        and record.recorded_here
        and not _reversed(record.entry_id)
    ):
        raise CampaignsError(
            _(
                "This money was recorded on the campaign's page: receipt %(voucher)s was written "
                "for the campaign and where the money came from is kept only here, so it cannot "
                "be untagged. If it was a mistake, reverse the receipt in the care fund's cash "
                "book: it then no longer counts."
            )
            % {"voucher": record.entry.voucher_number}
        )


@transaction.atomic
def untag(*, record: Tagged, by: User) -> Campaign:
    """Take a record out of its campaign: an activity's or a visit's tag, a gift recorded
    under it (the gift exists only as the campaign's record), or the tag of money raised (the
    receipt stays in the care fund's cash book). The campaign's results are counted from the
    records, so they change with it. Returns the campaign."""
    model = type(record)
    # Row locks: the commune's report first (an approval and an untag of its records queue
    # here, so nothing leaves an approved report), then the record (two untags queue).
    list(
        CampaignReport.objects.select_for_update().filter(
            campaign_id=record.campaign_id, commune_id=tagged_commune_id(record)
        )
    )
    current = model.objects.select_for_update().filter(pk=record.pk).first()
    if current is None:
        raise CampaignsError(_("This record is no longer tagged with the campaign."))
    untag_check(record=record)
    campaign = record.campaign
    current.delete()
    return campaign


def tag_remove(*, tag: CampaignActivity | CampaignVisit, by: User) -> Campaign:
    """An activity's or a visit's tag removed (``untag``)."""
    return untag(record=tag, by=by)


# --- The campaign report -------------------------------------------------------------------


def report_for(*, campaign: Campaign, commune: Area) -> CampaignReport:
    """The commune's report on the campaign (made as a draft when first asked for)."""
    _campaign_area(campaign, commune, "commune")
    report, _created = CampaignReport.objects.get_or_create(campaign=campaign, commune=commune)
    return report


def _locked(report: CampaignReport) -> CampaignReport:
    # Row lock: a submit and an approval (or two approvals) of one report must queue.
    return (
        CampaignReport.objects.select_for_update()
        .select_related("campaign", "commune")
        .get(pk=report.pk)
    )


def _log(report: CampaignReport, action: str, by: User, comment: str = "") -> None:
    CampaignReportEvent.objects.create(report=report, action=action, by=by, comment=comment)


def is_organiser_staff(user: User, campaign: Campaign | EmulationDrive) -> bool:
    """Staff of the organising association (or an admin): they review commune reports and
    score drives."""
    if scoping.is_admin(user):
        return True
    return (
        scoping.is_staff_role(user)
        and scoping.can_write(user)
        and user.area_id == campaign.organiser_id
    )


@transaction.atomic
def report_save(*, report: CampaignReport, narrative: str, by: User) -> CampaignReport:
    report = _locked(report)
    if report.status in (CampaignReport.Status.SUBMITTED, CampaignReport.Status.APPROVED):
        raise CampaignsError(
            {"narrative": _("A submitted or approved report can no longer be changed.")}
        )
    report.narrative = narrative.strip()
    report.save(update_fields=["narrative", "updated_at"])
    return report


@transaction.atomic
def report_submit(
    *, report: CampaignReport, by: User, narrative: str | None = None
) -> CampaignReport:
    """The commune sends its report (with the figures as they stand) to the organiser."""
    report = _locked(report)
    if report.status not in (CampaignReport.Status.DRAFT, CampaignReport.Status.RETURNED):
        raise CampaignsError(_("Only a draft or returned report can be submitted."))
    if narrative is not None:
        report.narrative = narrative.strip()
    if not report.narrative:
        raise CampaignsError({"narrative": _("Write what was done before submitting.")})
    report.status = CampaignReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.figures = selectors.figures_dict(
        selectors.commune_figures(report.campaign, report.commune)
    )
    report.save()
    _log(report, CampaignReportEvent.Action.SUBMIT, by)
    return report


@transaction.atomic
def report_return(*, report: CampaignReport, by: User, comment: str) -> CampaignReport:
    if not is_organiser_staff(by, report.campaign):
        raise PermissionDenied
    if not comment.strip():
        raise CampaignsError({"comment": _("Say what needs to change before returning it.")})
    report = _locked(report)
    if report.status != CampaignReport.Status.SUBMITTED:
        raise CampaignsError(_("Only a submitted report can be returned."))
    report.status = CampaignReport.Status.RETURNED
    report.return_comment = comment.strip()
    report.save()
    _log(report, CampaignReportEvent.Action.RETURN, by, comment.strip())
    return report


@transaction.atomic
def report_approve(*, report: CampaignReport, by: User) -> CampaignReport:
    """The organiser approves a submitted report: the figures are frozen and the commune's
    records of the campaign locked."""
    if not is_organiser_staff(by, report.campaign):
        raise PermissionDenied
    report = _locked(report)
    if report.status != CampaignReport.Status.SUBMITTED:
        raise CampaignsError(_("Only a submitted report can be approved."))
    report.status = CampaignReport.Status.APPROVED
    report.approved_at = timezone.now()
    report.figures = selectors.figures_dict(
        selectors.commune_figures(report.campaign, report.commune)
    )
    report.save()
    _log(report, CampaignReportEvent.Action.APPROVE, by)
    return report


# --- Emulation -----------------------------------------------------------------------------


@transaction.atomic
def drive_create(
    *,
    title: str,
    organiser: Area,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: User,
    occasion: str = "",
    description: str = "",
    criteria: Iterable[tuple[str, int, str]] = (),
) -> EmulationDrive:
    if organiser.level not in (Area.Level.PROVINCE, Area.Level.COMMUNE):
        raise CampaignsError({"organiser": _("Choose a province or a commune association.")})
    drive = EmulationDrive(
        title=title.strip(),
        organiser=organiser,
        starts_on=starts_on,
        ends_on=ends_on,
        occasion=occasion.strip(),
        description=description.strip(),
        created_by=by,
    )
    _full_clean(drive)
    drive.save()
    for name, points, evidence in criteria:
        criterion_add(drive=drive, name=name, max_points=points, evidence=evidence)
    return drive


@transaction.atomic
def drive_update(
    *,
    drive: EmulationDrive,
    by: User,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    occasion: str = "",
    description: str = "",
) -> EmulationDrive:
    """Change a drive from its page (the organiser's staff); the organiser never changes.
    Refused beside the field: a period changed once a registration was reviewed or given its
    final score; an end before the day of the last registration. One history row per change;
    nothing when nothing changed."""
    # Row lock: two edits of one drive queue.
    drive = EmulationDrive.objects.select_for_update().get(pk=drive.pk)
    moved = {
        name
        for name, value in (("starts_on", starts_on), ("ends_on", ends_on))
        if getattr(drive, name) != value
    }
    if moved:
        scored = drive.registrations.filter(
            stage__in=[EmulationRegistration.Stage.REVIEWED, EmulationRegistration.Stage.FINAL]
        ).exists()
        if scored:
            message = _(
                "Registrations of this drive have been scored by the organiser: its period can "
                "no longer change."
            )
            raise CampaignsError(dict.fromkeys(sorted(moved), message))
        last = drive.registrations.aggregate(last=Max("registered_at"))["last"]
        if last is not None and ends_on < timezone.localdate(last):
            raise CampaignsError(
                {
                    "ends_on": _(
                        "A unit registered on %(date)s: the drive cannot end before that day."
                    )
                    % {"date": f"{timezone.localdate(last):%d/%m/%Y}"}
                }
            )
    drive.title = title.strip()
    drive.starts_on = starts_on
    drive.ends_on = ends_on
    drive.occasion = occasion.strip()
    drive.description = description.strip()
    _full_clean(drive)
    if _changed_fields(drive):
        drive._history_user = by  # type: ignore[attr-defined]
        drive.save()
    return drive


@transaction.atomic
def criterion_add(
    *, drive: EmulationDrive, name: str, max_points: int, evidence: str = ""
) -> EmulationCriterion:
    seq = drive.criteria.count() + 1
    criterion = EmulationCriterion(
        drive=drive, seq=seq, name=name.strip(), max_points=max_points, evidence=evidence
    )
    _full_clean(criterion, exclude=["drive"])
    criterion.save()
    return criterion


def unit_in_drive(drive: EmulationDrive, *, area: Area | None, club: Club | None) -> bool:
    """Whether a commune association or a club belongs to the drive's organiser."""
    organiser = drive.organiser
    if area is not None:
        return area.level == Area.Level.COMMUNE and (
            area.province_id == organiser.pk or area.pk == organiser.pk
        )
    if club is not None:
        return club.province_id == organiser.pk or club.commune_id == organiser.pk
    return False


@transaction.atomic
def registration_create(
    *,
    drive: EmulationDrive,
    pledges: str,
    by: User,
    area: Area | None = None,
    club: Club | None = None,
) -> EmulationRegistration:
    """A commune association or a club registers for a drive with its pledges."""
    if (area is None) == (club is None):
        raise CampaignsError({"unit": _("Choose the commune association or the club.")})
    if not unit_in_drive(drive, area=area, club=club):
        raise CampaignsError({"unit": _("This unit is not in the drive's area.")})
    if _today() > drive.ends_on:
        raise CampaignsError({"unit": _("The drive has ended; registration is closed.")})
    if not pledges.strip():
        raise CampaignsError({"pledges": _("Write what the unit pledges.")})
    registration = EmulationRegistration(
        drive=drive, area=area, club=club, pledges=pledges.strip(), registered_by=by
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise CampaignsError(
            {"unit": _("This unit has already registered for the drive.")}
        ) from exc
    return registration


def _points(value: Any, top: int, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CampaignsError({field: _("Enter a whole number of points, zero or more.")})
    if value > top:
        raise CampaignsError(
            {field: _("At most %(max)s points for this criterion.") % {"max": top}}
        )
    return value


@transaction.atomic
def result_record(
    *,
    registration: EmulationRegistration,
    criterion: EmulationCriterion,
    achievement: str,
    self_points: int | None,
    by: User,
    evidence: tuple[str, IO[bytes], int] | None = None,
) -> EmulationResult:
    """The unit's result on one criterion, its self-score and optionally a proof file."""
    if criterion.drive_id != registration.drive_id:
        raise CampaignsError({"criterion": _("This criterion is not part of the drive.")})
    if registration.stage in (
        EmulationRegistration.Stage.REVIEWED,
        EmulationRegistration.Stage.FINAL,
    ):
        raise CampaignsError(_("The results have been reviewed; they can no longer change."))
    _points(self_points, criterion.max_points, "self_points")
    result, _created = EmulationResult.objects.select_for_update().get_or_create(
        registration=registration, criterion=criterion
    )
    result.achievement = achievement.strip()
    result.self_points = self_points
    result._change_reason = "self-score"  # type: ignore[attr-defined]
    _full_clean(result, exclude=["registration", "criterion"])
    result.save()
    if evidence is not None:
        evidence_add(result=result, name=evidence[0], fileobj=evidence[1], size=evidence[2], by=by)
    if registration.stage == EmulationRegistration.Stage.REGISTERED and self_points is not None:
        registration.stage = EmulationRegistration.Stage.SELF_SCORED
        registration._change_reason = "self-score"  # type: ignore[attr-defined]
        registration.save(update_fields=["stage"])
    return result


@transaction.atomic
def evidence_add(
    *, result: EmulationResult, name: str, fileobj: IO[bytes], size: int, by: User
) -> EmulationEvidence:
    display, kind = _checked_file(name, fileobj, size, "evidence")
    evidence = EmulationEvidence(
        result=result, original_name=display, kind=kind, size=size, uploaded_by=by
    )
    fileobj.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}.{kind}", File(fileobj), save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def scores_set(
    *,
    registration: EmulationRegistration,
    stage: str,
    points: Mapping[int, int | None],
    by: User,
    reason: str = "",
) -> EmulationRegistration:
    """The organiser scores a registration: ``stage`` is "reviewed" or "final"; ``points``
    criterion id → points (each at most its criterion's maximum). Each change is a history
    row of the result and of the registration."""
    if not is_organiser_staff(by, registration.drive):
        raise PermissionDenied
    Stage = EmulationRegistration.Stage
    if stage not in (Stage.REVIEWED, Stage.FINAL):
        raise CampaignsError({"stage": _("Choose the review or the final score.")})
    registration = EmulationRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.stage == Stage.FINAL:
        raise CampaignsError(_("The final score has been given; it can no longer change."))
    field = "review_points" if stage == Stage.REVIEWED else "final_points"
    criteria = {c.pk: c for c in registration.drive.criteria.all()}
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise CampaignsError(_("This criterion is not part of the drive."))
        _points(value, criterion.max_points, f"c{criterion_id}")
    for criterion_id, value in points.items():
        result, _created = EmulationResult.objects.get_or_create(
            registration=registration, criterion_id=criterion_id
        )
        setattr(result, field, value)
        result._change_reason = (reason or stage)[:100]  # type: ignore[attr-defined]
        result.save()
    registration.stage = stage
    registration._change_reason = (reason or stage)[:100]  # type: ignore[attr-defined]
    registration.save(update_fields=["stage"])
    return registration


@transaction.atomic
def commendation_record(
    *,
    drive: EmulationDrive,
    recipient_kind: str,
    level: str,
    decision_number: str,
    decision_date: datetime.date,
    by: User,
    unit_area: Area | None = None,
    unit_club: Club | None = None,
    member: Member | None = None,
    person_name: str = "",
    person_area: Area | None = None,
    reason: str = "",
) -> Commendation:
    """A commendation of the drive: to a unit that registered for it, or to a person."""
    Kind = Commendation.RecipientKind
    if decision_date > _today():
        raise CampaignsError({"decision_date": _("The decision date cannot be in the future.")})
    registration = None
    club: Club | None = None
    if recipient_kind == Kind.UNIT:
        if unit_area is None and unit_club is None:
            raise CampaignsError({"unit": _("Choose the unit.")})
        registration = EmulationRegistration.objects.filter(
            drive=drive, area=unit_area, club=unit_club
        ).first()
        if registration is None:
            raise CampaignsError(
                {
                    "unit": _(
                        "%(unit)s did not register for this drive: it cannot be commended in it."
                    )
                    % {"unit": unit_club or unit_area}
                }
            )
        club = unit_club
        area = unit_club.commune if unit_club is not None else unit_area
        person_name = ""
        member = None
    else:
        if member is not None:
            person_name = member.full_name
            club = member.club
            area = member.club.commune
        else:
            area = person_area
        if not person_name.strip():
            raise CampaignsError({"person_name": _("Say who is commended.")})
        if area is None:
            raise CampaignsError({"person_area": _("Choose the person's commune.")})
        if not unit_in_drive(drive, area=area, club=None) and area.pk != drive.organiser_id:
            raise CampaignsError({"person_area": _("This commune is not in the drive's area.")})
    commendation = Commendation(
        drive=drive,
        recipient_kind=recipient_kind,
        registration=registration,
        member=member,
        person_name=person_name.strip()[:120],
        area=area,
        club=club,
        level=level,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        reason=reason.strip(),
        created_by=by,
    )
    _full_clean(commendation)
    commendation.save()
    return commendation
