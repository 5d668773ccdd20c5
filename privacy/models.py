"""The log of data-subject requests (Law 91/2025/QH15, Decree 356/2025/NĐ-CP)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class DataSubjectRequest(ChoiceLabels, models.Model):
    """A request a person made about their personal data, as the staff member who handled it
    recorded it: a copy of everything held about them (Excel or JSON), or anonymisation. Who
    asked and why, who handled it, when, and what was done. Written in the same transaction as
    the anonymisation it records, never changed afterwards.

    The row names the person only through the member record, which anonymisation renames: the
    log itself keeps no name, phone or other detail of them.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Copy of the data")
        ANONYMISATION = "anonymisation", _("Anonymisation")

    class AskedBy(models.TextChoices):
        PERSON = "person", _("The person themselves")
        RELATIVE = "relative", _("A relative or representative")
        AUTHORITY = "authority", _("An authority")
        OTHER = "other", _("Someone else")

    class Format(models.TextChoices):
        XLSX = "xlsx", _("Excel")
        JSON = "json", _("JSON")

    kind = models.CharField(_("request"), max_length=14, choices=Kind.choices)
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = models.CharField(_("asked by"), max_length=10, choices=AskedBy.choices)
    asked_by_detail = models.CharField(
        _("who exactly"),
        max_length=200,
        blank=True,
        help_text=_("For example: her son, with a signed authorisation; the commune police."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    file_format = models.CharField(
        _("file format"), max_length=4, choices=Format.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=500)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    scope_club_path = "member__club"

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["member", "kind"], name="dsr_member_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["export", "anonymisation"]),
                name="dsr_kind_valid",
                violation_error_message=_(
                    "A request is either a copy of the data or an anonymisation."
                ),
            ),
            # An anonymisation cannot be undone: it always says why.
            models.CheckConstraint(
                condition=~Q(kind="anonymisation") | ~Q(reason=""),
                name="dsr_anonymisation_has_reason",
                violation_error_message=_("Give the reason for the anonymisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.member_id} {self.at:%d/%m/%Y}"
