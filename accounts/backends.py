"""Signing in with a username and password, as Django does, plus the user's area on every
request: the scope of staff users hangs off it (``accounts.scoping``), so it comes with the
user in one query instead of a second one on every page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithAreaBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("area").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
