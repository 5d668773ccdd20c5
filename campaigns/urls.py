from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/plan/", views.plan_download, name="plan"),
    path("<int:pk>/targets/new/", views.target_add, name="target_add"),
    path("<int:pk>/gifts/", views.gift_list, name="gifts"),
    path("<int:pk>/gifts/new/", views.gift_add, name="gift_add"),
    path("<int:pk>/money/", views.receipt_list, name="receipts"),
    path("<int:pk>/money/new/", views.receipt_add, name="receipt_add"),
    path("<int:pk>/records/", views.records_tag, name="tag"),
    path("<int:pk>/untag/<slug:kind>/<int:record_pk>/", views.untag, name="untag"),
    path("<int:pk>/rollup/", views.rollup, name="rollup"),
    path("<int:pk>/report/<int:area_pk>/", views.report_detail, name="report"),
    path("<int:pk>/report/<int:area_pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/report/<int:area_pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/report/<int:area_pk>/approve/", views.report_approve, name="report_approve"),
    path("drives/", views.drive_list, name="drives"),
    path("drives/new/", views.drive_create, name="drive_create"),
    path("drives/<int:pk>/", views.drive_detail, name="drive"),
    path("drives/<int:pk>/edit/", views.drive_edit, name="drive_edit"),
    path("drives/<int:pk>/criteria/new/", views.criterion_add, name="criterion_add"),
    path("drives/<int:pk>/register/", views.register, name="register"),
    path("drives/<int:pk>/commendations/", views.commendation_list, name="commendations"),
    path("drives/<int:pk>/commendations/new/", views.commendation_add, name="commendation_add"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path(
        "registrations/<int:pk>/criteria/<int:criterion_pk>/",
        views.result_edit,
        name="result",
    ),
    path("registrations/<int:pk>/score/", views.score, name="score"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("commendations/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
