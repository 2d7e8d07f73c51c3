"""The profile form's organisation choice shows no name typed by someone else: such a
name may come from a confidential community."""

import pytest
from django.test import Client

from members.models import Organization
from members.selectors import organization_list
from members.services import user_update_profile
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _choices(client: Client) -> list[str]:
    form = client.get("/account/profile/").context["form"]
    return [organization.name for organization in form.fields["organization"].queryset]


def test_a_name_typed_by_another_member_is_not_offered(client: Client) -> None:
    insider = UserFactory()
    user_update_profile(
        user=insider,
        display_name="Insider",
        organization=None,
        new_organization="Geheime Overname BV",
        job_title="",
        bio="",
        expertise=[],
        interests=[],
        visibility={"organization": "private"},
        avatar=None,
        remove_avatar=False,
    )
    client.force_login(UserFactory())
    assert "Geheime Overname BV" not in _choices(client)
    assert "Geheime Overname BV" not in client.get("/account/profile/").content.decode()


def test_listed_organisations_and_your_own_are_offered(client: Client) -> None:
    OrganizationFactory(name="Gemeente Utrecht", is_listed=True)
    OrganizationFactory(name="Ongelijst BV")
    own = OrganizationFactory(name="Mijn Stichting")
    person = UserFactory(organization=own)
    client.force_login(person)
    assert _choices(client) == ["Gemeente Utrecht", "Mijn Stichting"]


def test_a_posted_unlisted_organisation_of_someone_else_is_refused(client: Client) -> None:
    hidden = OrganizationFactory(name="Verborgen BV")
    person = UserFactory(organization=None)
    client.force_login(person)
    response = client.post(
        "/account/profile/",
        {
            "display_name": "Iemand",
            "organization": hidden.pk,
            "new_organization": "",
            "new_organization_kind": "other",
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    person.refresh_from_db()
    assert person.organization is None


def test_the_selector_without_a_viewer_offers_listed_ones_only() -> None:
    listed = OrganizationFactory(name="Provincie", is_listed=True)
    OrganizationFactory(name="Getypt")
    assert list(organization_list()) == [listed]
    assert Organization.objects.count() == 2
