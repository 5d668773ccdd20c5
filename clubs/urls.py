from django.urls import path

from clubs import views

app_name = "clubs"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
]
