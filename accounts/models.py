from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from config.choices import ChoiceLabels


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROVINCE = "province", _("Provincial association staff")
    COMMUNE = "commune", _("Commune association staff")
    CLUB_LEADER = "club_leader", _("Club leader")
    VIEWER = "viewer", _("Viewer (read only)")


class NotifyChannel(models.TextChoices):
    APP = "app", _("Only in the app")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class User(ChoiceLabels, AbstractUser):
    """A person who signs in: one role and one scope (a province, a commune or a club).

    Association staff and viewers are scoped by ``area``; club leaders (and viewers of a single
    club) by ``club``. What a user may see is decided in ``accounts.scoping`` alone.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    area = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("The province or commune/ward this user looks after."),
    )
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # Moved on by "log out of every device" (accounts.sessions): part of the hash every
    # session keeps of its user, so every session signed in before ends.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # How the user is told of what waits for them, besides the bell (accounts.notifications).
    notify_channel = models.CharField(
        _("notifications by"),
        max_length=5,
        choices=NotifyChannel.choices,
        default=NotifyChannel.SMS,
        help_text=_("Besides the bell in the app: an SMS to the phone number or an e-mail."),
    )
    # Kept on the row the request loads anyway, so the bell costs no query; recounted from
    # the notifications whenever one is added or read (accounts.notifications).
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )
    # Larger text and stronger contrast on every page (the switch in the top bar).
    large_text = models.BooleanField(_("large text, high contrast"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        return self._session_auth_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_auth_hash(secret=secret)

    def _session_auth_hash(self, *, secret: str | bytes | None) -> str:
        # Django's own hash of the password while the generation is 0 (sessions signed in
        # before the field existed stay valid), of the password and the generation after.
        value = self.password
        if self.session_generation:
            value = f"{value}:{self.session_generation}"
        return salted_hmac(
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            value,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_admin_role(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.VIEWER and not self.is_superuser

    def clean(self) -> None:
        super().clean()
        from clubs.models import Area

        errors = {}
        if self.role == Role.PROVINCE and (not self.area or self.area.level != Area.Level.PROVINCE):
            errors["area"] = _("Provincial staff must be assigned to a province.")
        if self.role == Role.COMMUNE and (not self.area or self.area.level != Area.Level.COMMUNE):
            errors["area"] = _("Commune staff must be assigned to a commune/ward.")
        if self.role == Role.CLUB_LEADER and not self.club:
            errors["club"] = _("A club leader must be assigned to a club.")
        if self.role == Role.VIEWER and not (self.area or self.club):
            errors["area"] = _("A viewer needs a scope: a province, a commune/ward or a club.")
        if self.area and self.club:
            errors["club"] = _("Choose one scope only: an area or a club.")
        if errors:
            raise ValidationError(errors)


class SensitiveAccess(models.Model):
    """One look at named people's sensitive or high-risk data: who opened which page or file,
    when, about whom (one person, or the list of a club, a meeting or a training event with how
    many people on it) and the most guarded group of fields it showed.

    Pages note what they show with ``accounts.privacy.note_access``; ``accounts.access_log``
    writes a request's notes in one INSERT once the response is ready, and deletes rows older
    than ``ISHC_ACCESS_LOG_DAYS``. Provincial staff read the rows of their province, admins
    all of them (``/accounts/access-log/``).
    """

    class Kind(models.TextChoices):
        PAGE = "page", _("page")
        DOWNLOAD = "download", _("download")

    # PROTECT: the log says who looked; a user who has looked is deactivated, not deleted,
    # until their rows have aged out.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    path = models.CharField(_("page"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    # A value of accounts.privacy.Category (sensitive or high_risk in practice).
    category = models.CharField(_("data"), max_length=20)
    # Whose data: a person (a member, a training participant), or the club, meeting, training
    # event or area whose list of people was shown; empty for a list with no such owner.
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    count = models.PositiveIntegerField(_("people shown"), null=True, blank=True)
    # Where the people belong, copied when the row is written: the club (shown on the log
    # page) and its province (the column provincial staff are scoped on). Not indexed on
    # their own: the log is read by province and date, by person and by user.
    club = models.ForeignKey(
        "clubs.Club",
        verbose_name=_("club"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    province = models.ForeignKey(
        "clubs.Area",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    scope_club_path = "club"
    scope_province_field = "province"

    class Meta:
        verbose_name = _("access to sensitive data")
        verbose_name_plural = _("accesses to sensitive data")
        indexes = [
            models.Index(fields=["at"], name="access_at_idx"),
            models.Index(fields=["content_type", "object_id"], name="access_subject_idx"),
            models.Index(fields=["province", "at"], name="access_province_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.path} {self.at:%d/%m/%Y %H:%M}"


class IdempotencyKey(models.Model):
    """A form that was already sent: the key drawn into the form, and how it was answered.

    A form that creates or moves something (a repayment, a ledger entry, a member) carries a
    fresh key; the first post inserts this row in the same transaction as the write, so a
    second post of the same form (a double tap, "back" then resubmit, a retry) hits the unique
    key, writes nothing and gets the first answer again (``accounts.once``).
    """

    key = models.UUIDField(_("key"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    result_url = models.CharField(_("answered with"), max_length=500, blank=True)
    result_message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sent form")
        verbose_name_plural = _("sent forms")
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return str(self.key)


class Notification(ChoiceLabels, models.Model):
    """Something that waits for one user: a report submitted, returned, reviewed or approved,
    a loan request for the board. Shown under the bell until read, and sent once through the
    user's channel (an SMS or an e-mail); the row is its own outbox (``delivery``), sent by
    ``month.notices`` with the reminders' channels, retries and quiet hours."""

    class Kind(models.TextChoices):
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_RETURNED = "report_returned", _("Report returned")
        REPORT_REVIEWED = "report_reviewed", _("Report reviewed")
        REPORT_APPROVED = "report_approved", _("Report approved")
        LOAN_REQUESTED = "loan_requested", _("Loan request for the board")

    class Delivery(models.TextChoices):
        NONE = "none", _("Only in the app")
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What happened, once per user: e.g. "report-12-returned-345" (the report's event).
    event = models.CharField(_("event"), max_length=100)
    text = models.CharField(_("text"), max_length=500)
    url = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=5, choices=NotifyChannel.choices, default=NotifyChannel.APP
    )
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    delivery = models.CharField(
        _("delivery"), max_length=8, choices=Delivery.choices, default=Delivery.NONE
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"],
                name="notification_once_per_user",
                violation_error_message=_("This notification was already made for this user."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(delivery="pending"),
                name="notification_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.text
