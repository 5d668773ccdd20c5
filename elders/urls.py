from django.urls import path

from elders import views

app_name = "elders"

urlpatterns = [
    path("", views.register_list, name="register_list"),
    path("export/", views.register_export, name="register_export"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/move/", views.person_move, name="person_move"),
    path("<int:pk>/link/", views.person_link, name="person_link"),
    path("<int:pk>/consent/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/celebrate/", views.celebration_create, name="celebration_create"),
    path("<int:pk>/support/", views.support_create, name="support_create"),
    path("celebrations/", views.celebration_list, name="celebration_list"),
    path("celebrations/cards/", views.celebration_cards, name="celebration_cards"),
    path("funds/", views.fund_list, name="fund_list"),
    path("funds/pay-list/", views.support_list, name="support_list"),
    path("funds/<int:pk>/", views.fund_supports, name="fund_supports"),
    path("funds/<int:pk>/receipts/new/", views.receipt_create, name="receipt_create"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
]
