from django.urls import path

from reports import periodic_views as pv
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
    path("upward/", pv.periodic_list, name="periodic_list"),
    path("upward/new/", pv.periodic_new, name="periodic_new"),
    path("upward/<int:pk>/", pv.periodic_detail, name="periodic_detail"),
    path("upward/<int:pk>/progress/", pv.periodic_progress, name="periodic_progress"),
    path("upward/<int:pk>/edit/", pv.periodic_edit, name="periodic_edit"),
    path("upward/<int:pk>/compile/", pv.periodic_compile, name="periodic_compile"),
    path("upward/<int:pk>/submit/", pv.periodic_submit, name="periodic_submit"),
    path("upward/<int:pk>/return/", pv.periodic_return, name="periodic_return"),
    path("upward/<int:pk>/accept/", pv.periodic_accept, name="periodic_accept"),
    path("upward/<int:pk>/reopen/", pv.periodic_reopen, name="periodic_reopen"),
    path("upward/<int:pk>/print/", pv.periodic_print, name="periodic_print"),
    path("upward/<int:pk>/report.docx", pv.periodic_docx, name="periodic_docx"),
    path("upward/<int:pk>/annex.xlsx", pv.periodic_xlsx, name="periodic_xlsx"),
]
