"""Signing in with a username and password, as Django does, plus two things on every request:

- the user's area comes in the same query (the scope of staff users hangs off it, see
  ``accounts.scoping``);
- with a cache that every web process shares (Redis), the signed-in user is kept there for
  ``ISHC_USER_CACHE_SECONDS`` and dropped whenever the user is saved or deleted (a changed
  role, area, password or a deactivation counts at once), so most pages run no user query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

if TYPE_CHECKING:
    from accounts.models import User


def user_cache_key(user_id: Any) -> str:
    return f"accounts:user:{user_id}"


class UserWithAreaBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        seconds = settings.ISHC_USER_CACHE_SECONDS
        user = cache.get(user_cache_key(user_id)) if seconds else None
        if user is None:
            model = get_user_model()
            try:
                user = model._default_manager.select_related("area").get(pk=user_id)
            except model.DoesNotExist:
                return None
            if seconds:
                cache.set(user_cache_key(user_id), user, seconds)
        return user if self.user_can_authenticate(user) else None


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def _forget_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    cache.delete(user_cache_key(instance.pk))
