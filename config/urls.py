from django.contrib import admin
from django.urls import include, path

from config import views
from month import offline
from reports.views import start_page

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # The leaders' installable app: the service worker must be served from the root to
    # cover the whole site (month/offline.py).
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", start_page, name="home"),
    path("", include("clubs.urls")),
    path("", include("month.urls")),
    path("", include("members.urls")),
    path("", include("funds.urls")),
    path("trainings/", include("trainings.urls")),
    path("association/", include("association.urls")),
    path("elders/", include("elders.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("reports/", include("reports.urls")),
    path("", include("privacy.urls")),
]

admin.site.site_header = "ISHC Manager"
admin.site.site_title = "ISHC Manager"
