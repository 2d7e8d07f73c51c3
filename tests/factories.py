"""factory_boy factories. State that has rules (memberships, threads) is set through
services in the persona fixtures, not here."""

import factory
from allauth.account.models import EmailAddress

from communities.models import Community
from members.models import Organization, User


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Organisatie {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="nl_NL")
    organization = factory.SubFactory(OrganizationFactory)
    password = factory.django.Password(None)

    @factory.post_generation
    def verified(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CommunityFactory(factory.django.DjangoModelFactory):
    """A bare community row; use communities.services.community_create for a real one."""

    class Meta:
        model = Community

    name = factory.Sequence(lambda n: f"Community {n}")
    slug = factory.Sequence(lambda n: f"community-{n}")
    focus = "Samen leren."
    urgency = "Nu."
    member_value = "Kennis."
