from django.urls import path

from clubs import views

app_name = "clubs"

urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/<int:pk>/composition/", views.area_composition, name="area_composition"),
    path("clubs/", views.club_list, name="club_list"),
    path("clubs/new/", views.club_create, name="club_create"),
    path("clubs/<int:pk>/", views.club_detail, name="club_detail"),
    path("clubs/<int:pk>/edit/", views.club_edit, name="club_edit"),
    path("clubs/<int:pk>/status/", views.club_status, name="club_status"),
    path("clubs/<int:pk>/board/new/", views.board_add, name="board_add"),
    path("clubs/<int:pk>/board/<int:seat_pk>/end/", views.board_end, name="board_end"),
]
