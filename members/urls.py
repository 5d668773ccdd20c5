from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("clubs/<int:club_id>/members/", views.member_list, name="member_list"),
    path("clubs/<int:club_id>/members/new/", views.member_create, name="member_create"),
    path("clubs/<int:club_id>/members/import/", views.import_upload, name="import_upload"),
    path("clubs/<int:club_id>/members/export.xlsx", views.club_export, name="club_export"),
    path("clubs/<int:club_id>/care/", views.care_list, name="care_list"),
    path("clubs/<int:club_id>/members/pick/", views.member_pick, name="member_pick"),
    path("areas/<int:pk>/members/export.xlsx", views.area_export, name="area_export"),
    path("members/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("members/exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("members/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/transfer/clubs/", views.transfer_clubs, name="transfer_clubs"),
    path("members/<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("members/import-template.xlsx", views.import_template, name="import_template"),
    path("members/imports/<int:pk>/", views.import_preview, name="import_preview"),
    path("members/imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("care/<int:pk>/end/", views.care_end, name="care_end"),
]
