from django.db import models
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class Reminder(ChoiceLabels, models.Model):
    """One reminder of one meeting to one person on one channel (the outbox).

    The outbox, not the broker, is the source of truth: planning creates rows, sending claims a
    pending row (``pending -> sending``) before calling the provider and records the outcome
    after, and a periodic sweep re-enqueues whatever a lost task left behind.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("Email")

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member reminder")
        DIGEST = "digest", _("Leader digest")

    meeting = models.ForeignKey(
        "month.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.MEMBER)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    lead_days = models.PositiveSmallIntegerField(_("days before"))
    # The meeting's date when this reminder was planned: a moved meeting gets new reminders,
    # and the old ones are skipped instead of announcing the wrong day.
    meeting_date = models.DateField(_("meeting date"))
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    due_at = models.DateTimeField(_("due at"), db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    text = models.CharField(_("text"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_club_path = "meeting__club"

    class Meta:
        db_table = "clubs_reminder"
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        ordering = ["-due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member", "channel", "lead_days", "meeting_date", "kind"],
                name="reminder_unique_per_recipient_lead",
                violation_error_message=_(
                    "This reminder was already made for this member and meeting."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(status="pending"),
                name="reminder_pending_due",
            ),
            models.Index(fields=["status", "sending_started_at"], name="reminder_status_started"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting} · {self.get_status_display()}"
