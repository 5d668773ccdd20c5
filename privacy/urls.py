from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("members/<int:pk>/data/", views.member_data, name="member_data"),
    path("members/<int:pk>/data/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("members/<int:pk>/data/export.json", views.export_json, name="export_json"),
    path("members/<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    path("privacy/requests/", views.request_list, name="request_list"),
]
