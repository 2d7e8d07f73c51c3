"""factory_boy factories, and helpers that set state with rules (threads, profiles)
through the services, as the site would."""

import factory
from allauth.account.models import EmailAddress

from communities.models import Community
from discussions.models import Thread
from discussions.services.posts import thread_create
from members.models import Organization, User
from members.selectors import tag_names
from members.services import user_update_profile


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


def make_thread(
    community: Community,
    author: User,
    *,
    kind: str = "question",
    title: str = "Hoe krijg je collega's mee?",
    body: str = "Wie heeft tips?",
) -> Thread:
    """A thread started through the service, as a member would."""
    return thread_create(community=community, author=author, kind=kind, title=title, body=body)


def set_profile(user: User, **changes: object) -> User:
    """Change some profile fields through the service, keeping the others."""
    arguments: dict[str, object] = {
        "display_name": user.display_name,
        "organization": user.organization,
        "job_title": user.job_title,
        "bio": user.bio,
        "expertise": tag_names(user.expertise),
        "interests": tag_names(user.interests),
        "visibility": {},
    }
    arguments.update(changes)
    return user_update_profile(user=user, **arguments)  # type: ignore[arg-type]
