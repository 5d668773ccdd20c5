from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("areas/<int:pk>/", views.area_dashboard, name="area"),
    path("areas/<int:pk>/print/", views.area_print, name="area_print"),
    path("clubs/<int:pk>/", views.club_view, name="club"),
    path("club-health/", views.club_health, name="club_health"),
    path("lists/<slug:figure>/", views.figure_list, name="figure_list"),
    path("export/", views.export_home, name="export"),
    path("export/<int:pk>/", views.export_detail, name="export_detail"),
    path("export/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
]
