"""Every admin page of the project says which kind it is (``accounts.admin_scoping``): scoped
by the door, shared reference data, or a superusers' tool. A new ``admin.register`` that is
none of these fails here."""

import pytest
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.test import RequestFactory
from simple_history.admin import SimpleHistoryAdmin

from accounts import privacy, scoping
from accounts.admin import PLATFORM_APPS
from accounts.admin_scoping import (
    ReferenceDataAdmin,
    ScopedAdminMixin,
    ScopedHistoryAdmin,
    ScopedInlineMixin,
    SuperuserOnlyAdminMixin,
)
from tests.test_admin_scoping import grant

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
SCOPED = [
    (model, model_admin)
    for model, model_admin in REGISTRY
    if isinstance(model_admin, ScopedAdminMixin)
]
REFERENCE = [model._meta.label for model, a in REGISTRY if isinstance(a, ReferenceDataAdmin)]
TOOLS = [model for model, a in REGISTRY if isinstance(a, SuperuserOnlyAdminMixin)]


def test_every_registered_admin_is_scoped_reference_data_or_a_superusers_tool():
    kinds = (ScopedAdminMixin, ReferenceDataAdmin, SuperuserOnlyAdminMixin)
    undeclared = [
        f"{model._meta.label}: {type(model_admin).__name__}"
        for model, model_admin in REGISTRY
        if not isinstance(model_admin, kinds)
    ]
    assert undeclared == []


def test_reference_data_is_only_the_shared_tables():
    assert REFERENCE == ["members.CompositionTarget", "month.ActivityArea"]


def test_the_platforms_own_tables_and_the_users_are_superusers_tools():
    labels = {model._meta.label for model in TOOLS}
    assert {"accounts.User", "auth.Group", "axes.AccessAttempt"} <= labels
    assert {model._meta.app_label for model in TOOLS} <= {"accounts", *PLATFORM_APPS}


@pytest.mark.django_db
def test_every_scoped_admin_reaches_its_model_through_the_door(cast):
    for model, _model_admin in SCOPED:
        scoping.for_user(model, cast.province)  # raises when the model declares no scope path


def test_admins_with_versions_are_scoped_history_admins():
    """django-simple-history's version and revert pages skip the admin's queryset: only the
    scoped history admin puts them behind the door."""
    unscoped = [
        model._meta.label
        for model, model_admin in REGISTRY
        if isinstance(model_admin, SimpleHistoryAdmin)
        and not isinstance(model_admin, (ScopedHistoryAdmin, SuperuserOnlyAdminMixin))
    ]
    assert unscoped == []


def test_every_inline_of_a_scoped_admin_is_scoped():
    loose = [
        f"{type(model_admin).__name__}.{inline.__name__}"
        for _model, model_admin in SCOPED
        for inline in model_admin.inlines
        if not issubclass(inline, ScopedInlineMixin)
    ]
    assert loose == []
    assert all(issubclass(inline, InlineModelAdmin) for _m, a in SCOPED for inline in a.inlines)


@pytest.mark.django_db
def test_whatever_permissions_staff_hold_tools_stay_closed_and_reference_data_read_only(cast):
    staff = grant(
        cast.province, apps=("accounts", "auth", "axes", "django_celery_beat", "members", "month")
    )
    request = RequestFactory().get("/admin/")
    request.user = staff
    for model in TOOLS:
        model_admin = admin.site.get_model_admin(model)
        assert not model_admin.has_module_permission(request), model._meta.label
        assert not model_admin.has_view_permission(request), model._meta.label
    for model, model_admin in REGISTRY:
        if isinstance(model_admin, ReferenceDataAdmin):
            assert not model_admin.has_change_permission(request), model._meta.label
            assert not model_admin.has_delete_permission(request), model._meta.label
    request.user = cast.admin
    activity_areas = admin.site.get_model_admin(
        next(m for m, _a in REGISTRY if m._meta.label == "month.ActivityArea")
    )
    assert activity_areas.has_change_permission(request)


@pytest.mark.django_db
def test_no_admin_of_named_people_opens_to_a_viewer(cast):
    viewer = grant(cast.viewer)
    request = RequestFactory().get("/admin/")
    request.user = viewer
    for model, model_admin in SCOPED:
        if privacy.about_people(model):
            assert not model_admin.has_view_permission(request), model._meta.label
        assert not model_admin.has_change_permission(request), model._meta.label
