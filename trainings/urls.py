from django.urls import path

from trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("new/", views.training_create, name="create"),
    path("coverage/", views.coverage, name="coverage"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/edit/", views.training_edit, name="edit"),
    path("<int:pk>/trainers/", views.trainer_add, name="trainer_add"),
    path(
        "<int:pk>/trainers/<int:trainer_pk>/delete/",
        views.trainer_delete,
        name="trainer_delete",
    ),
    path("<int:pk>/sessions/<int:session_pk>/", views.session_edit, name="session_edit"),
    path("<int:pk>/sessions/<int:session_pk>/checkin/", views.checkin, name="checkin"),
    path(
        "<int:pk>/sessions/<int:session_pk>/checkin/<int:participant_pk>/",
        views.checkin_mark,
        name="checkin_mark",
    ),
    path("<int:pk>/participants/", views.participant_list, name="participants"),
    path("<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("<int:pk>/participants/pick/members/", views.pick_member, name="pick_member"),
    path("<int:pk>/participants/pick/users/", views.pick_user, name="pick_user"),
    path(
        "<int:pk>/participants/<int:participant_pk>/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/certificate.pdf",
        views.certificate,
        name="certificate",
    ),
    path("<int:pk>/participants/import/", views.participant_import, name="import"),
    path("<int:pk>/participants/import/preview/", views.import_preview, name="import_preview"),
    path("<int:pk>/participants/import/confirm/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/scores/", views.scores, name="scores"),
    path("<int:pk>/materials/", views.materials, name="materials"),
    path(
        "<int:pk>/materials/<int:material_pk>/download/",
        views.material_download,
        name="material_download",
    ),
    path(
        "<int:pk>/materials/<int:material_pk>/delete/",
        views.material_delete,
        name="material_delete",
    ),
    path("<int:pk>/attendance-sheet/", views.attendance_sheet, name="attendance_sheet"),
    path("<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("<int:pk>/summary/", views.summary, name="summary"),
]
