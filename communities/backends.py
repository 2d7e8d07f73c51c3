"""Authentication backends that load the signed-in user together with what they may
access (`communities.permissions.access_annotations`): a request then reads its
viewer's rights with its user, in no query of its own."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from communities.permissions import access_annotations
from members.models import User


class _LoadsAccess:
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.annotate(**access_annotations()).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


class ModelBackend(_LoadsAccess, DjangoModelBackend):
    pass


class AuthenticationBackend(_LoadsAccess, AllauthBackend):
    pass
