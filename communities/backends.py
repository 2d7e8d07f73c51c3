"""Authentication backends that load the signed-in user together with what they may
access (`communities.permissions.access_annotations`): a request then reads its
viewer's rights with its user, in no query of its own."""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from communities.permissions import access_annotations
from members.models import User
from members.prepared import ID_PLACEHOLDERS, PreparedQuery

# Compiled once per process: building the access subqueries cost more than running them.
_USER_WITH_ACCESS = PreparedQuery(
    lambda user_id: User._default_manager.annotate(**access_annotations()).filter(pk=user_id),
    user_id=ID_PLACEHOLDERS[0],
)


class _LoadsAccess:
    def get_user(self, user_id: Any) -> User | None:
        try:
            found = _USER_WITH_ACCESS.run(user_id=int(user_id))
        except (TypeError, ValueError):
            return None
        user = found[0] if found else None
        if user is None or not self.user_can_authenticate(user):  # type: ignore[attr-defined]
            return None
        return user


class ModelBackend(_LoadsAccess, DjangoModelBackend):
    pass


class AuthenticationBackend(_LoadsAccess, AllauthBackend):
    pass
