"""URLs of the club's month (meetings, activities, visits, monthly reports).

The ``reports`` app owns ``/reports/`` (dashboards), so monthly reports live under
``/monthly-reports/``.
"""

from django.urls import path

from month import inbox, offline
from month import views as v

app_name = "month"

urlpatterns = [
    path("month/", v.month_home, name="home"),
    # Meetings
    path("clubs/<int:club_id>/meetings/", v.meeting_list, name="meeting_list"),
    path("clubs/<int:club_id>/meetings/plan/", v.meeting_plan, name="meeting_plan"),
    path("clubs/<int:club_id>/meetings/new/", v.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/record/", v.meeting_record, name="meeting_record"),
    # The record sheet saved on a phone, sent when there is a signal (month/offline.py).
    path("meetings/<int:pk>/sync/", v.meeting_sync, name="meeting_sync"),
    path("offline/state.json", offline.offline_state, name="offline_state"),
    path("meetings/<int:pk>/move/", v.meeting_move, name="meeting_move"),
    path("meetings/<int:pk>/cancel/", v.meeting_cancel, name="meeting_cancel"),
    # Activities
    path("clubs/<int:club_id>/activities/", v.activity_list, name="activity_list"),
    path("clubs/<int:club_id>/activities/new/", v.activity_add, name="activity_add"),
    path("activities/<int:pk>/edit/", v.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", v.activity_delete, name="activity_delete"),
    # Home-care visits
    path("clubs/<int:club_id>/visits/", v.visit_list, name="visit_list"),
    path("clubs/<int:club_id>/visits/new/", v.visit_add, name="visit_add"),
    path("visits/<int:pk>/edit/", v.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", v.visit_delete, name="visit_delete"),
    # Monthly reports
    path("clubs/<int:club_id>/reports/", v.club_reports, name="club_reports"),
    path("clubs/<int:club_id>/reports/start/", v.report_start, name="report_start"),
    path("monthly-reports/", inbox.report_inbox, name="report_inbox"),
    path("monthly-reports/bulk/", inbox.report_bulk, name="report_bulk"),
    path("monthly-reports/late/", v.late_list, name="late_list"),
    path("monthly-reports/<int:pk>/", v.report_detail, name="report_detail"),
    path("monthly-reports/<int:pk>/compile/", v.report_compile, name="report_compile"),
    path("monthly-reports/<int:pk>/submit/", v.report_submit, name="report_submit"),
    path("monthly-reports/<int:pk>/review/", v.report_review, name="report_review"),
    path("monthly-reports/<int:pk>/approve/", v.report_approve, name="report_approve"),
    path("monthly-reports/<int:pk>/return/", v.report_return, name="report_return"),
    path("monthly-reports/<int:pk>/reopen/", v.report_reopen, name="report_reopen"),
    path("monthly-reports/<int:pk>/print/", v.report_print, name="report_print"),
    # The member's month (the member page includes the same panel)
    path("members/<int:pk>/health/", v.member_health, name="member_health"),
]
