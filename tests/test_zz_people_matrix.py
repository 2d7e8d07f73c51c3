"""Temporary: the authorisation matrix for the people pages (expectations to hand over)."""
import pytest
from tests import test_authz_matrix as m

LOGIN = m.LOGIN


def _sees_member(f):
    if f.anonymous:
        return LOGIN, LOGIN
    sees = f.admin or f.persona in {"member", "core_member", "facilitator"}
    return (200 if sees else 404), 405


def _members_list(f):
    can = f.admin or f.persona in {"member", "core_member", "facilitator"}
    return f.seen(200, can), (LOGIN if f.anonymous else 405)


NEW = {
    "members:profile-edit": m._signed_in(200, 200),
    "members:profile-avatar": m._signed_in(404, 405),
    "communities:people-experts": m._signed_in(200, 405),
    "communities:people-like-you": m._signed_in(200, 405),
    "communities:person": _sees_member,
    "communities:person-avatar": lambda f: (LOGIN, LOGIN) if f.anonymous else (404, 405),
    "communities:members": _members_list,
}
m.EXPECTATIONS.update(NEW)


@pytest.mark.django_db
@pytest.mark.parametrize("setting", list(m.SETTINGS))
@pytest.mark.parametrize(("name", "route"), [(n, r) for n, r in m.ALL_PATTERNS if n in NEW])
def test_people_matrix(name, route, setting):
    m.test_authorisation_matrix.__wrapped__(name, route, setting) if hasattr(m.test_authorisation_matrix, "__wrapped__") else m.test_authorisation_matrix(name, route, setting)


def test_all_covered():
    missing = [n for n, r in m.ALL_PATTERNS if n not in m.EXPECTATIONS and not r.startswith(m.GENERIC_PREFIXES)]
    assert missing == []
