import pytest
from django.db.models import Count

from members.models import User
from members.prepared import ID_PLACEHOLDERS, PreparedQuery
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _people(user_id: int):  # type: ignore[no-untyped-def]
    return (
        User.objects.filter(pk=user_id)
        .select_related("organization")
        .annotate(n_memberships=Count("memberships"))
    )


def test_a_prepared_query_answers_as_its_queryset_for_every_value() -> None:
    prepared = PreparedQuery(_people, user_id=ID_PLACEHOLDERS[0])
    first = UserFactory(organization=OrganizationFactory(name="Zorg BV"))
    second = UserFactory()
    for user in (first, second, first):
        [found] = prepared.run(user_id=user.pk)
        [expected] = _people(user.pk)
        assert (found.pk, found.email, found.n_memberships) == (
            expected.pk,
            expected.email,
            expected.n_memberships,
        )
        assert found.organization == expected.organization  # select_related, no query
    assert prepared.run(user_id=0) == []


def test_a_placeholder_the_query_does_not_use_is_refused() -> None:
    prepared = PreparedQuery(lambda user_id, other: _people(user_id), user_id=-1, other=-2)
    with pytest.raises(ValueError, match="other"):
        prepared.run(user_id=1, other=2)
