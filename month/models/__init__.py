"""The club's month: its records, the monthly report, and the meeting-reminder outbox.

Tables keep the names they had when these models lived in ``clubs`` (``clubs_meeting`` …):
the move to this app changed no row (migration ``month.0001_move_from_clubs``).
"""

from month.models.records import (
    CARE_SERVICE_CHOICES,
    CARE_SERVICE_LABELS,
    Activity,
    ActivityArea,
    Attendance,
    HealthCheck,
    HomeCareVisit,
    Meeting,
    MonthRecord,
    reading_errors,
)
from month.models.reminders import Reminder
from month.models.reports import MonthlyReport, MonthlyReportEvent

__all__ = [
    "CARE_SERVICE_CHOICES",
    "CARE_SERVICE_LABELS",
    "Activity",
    "ActivityArea",
    "Attendance",
    "HealthCheck",
    "HomeCareVisit",
    "Meeting",
    "MonthRecord",
    "MonthlyReport",
    "MonthlyReportEvent",
    "Reminder",
    "reading_errors",
]
