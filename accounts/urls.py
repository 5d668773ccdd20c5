from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import prefs, views
from accounts.access_log import views as access_log_views
from accounts.forms import LoginForm

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("logout/everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("two-step/", views.two_factor_overview, name="two_factor"),
    path("two-step/set-up/", views.two_factor_enroll, name="two_factor_enroll"),
    path("two-step/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-step/codes/", views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("two-step/off/", views.two_factor_disable, name="two_factor_disable"),
    path("locks/", views.lockouts, name="login_lockouts"),
    path("locks/<int:pk>/unlock/", views.lockout_lift, name="login_lockout_lift"),
    path("access-log/", access_log_views.access_log, name="access_log"),
    path("notifications/", prefs.notification_list, name="notifications"),
    path("notifications/read/", prefs.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", prefs.notification_open, name="notification_open"),
    path("preferences/", prefs.preferences, name="preferences"),
    path("display/", prefs.display_toggle, name="display_toggle"),
]
