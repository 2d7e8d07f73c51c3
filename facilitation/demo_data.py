"""Demo data for the console: every demo community gets something that needs
attention, so the console is worth opening after `make run`: an unanswered question of
some days ago, a member who posted weeks ago and went quiet (and whose expertise fits
that question, so "who could answer" names them), and a pending join request (where
the community admits by approval) or a pending invitation (elsewhere).

Written through the services; the dates are set back afterwards, as the value cycles'
demo does. Running it twice changes nothing: a community whose demo question exists
is left alone.
"""

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.invitations import invitation_create_many
from communities.services.memberships import membership_grant, membership_request
from discussions.models import Thread
from discussions.services.posts import thread_create
from members.models import User
from members.services import user_update_profile

SPECS: dict[str, dict[str, Any]] = {
    "e-health-projectleiders": {
        "asker": "mira",
        "question": "Welke app gebruiken jullie voor thuismonitoring bij COPD?",
        "tags": ["thuismonitoring"],
        "days": 12,
        "quiet": ("joost", "Joost Smit", "nl", ["thuismonitoring", "COPD"]),
        "quiet_tip": "Tip: laat de eerste meting samen met de wijkverpleging doen",
        "requester": ("petra", "Petra de Boer"),
    },
    "schade-experts": {
        "asker": "ilse",
        "question": "Hoe taxeren jullie schade aan een e-bike-accu?",
        "tags": ["e-bikes"],
        "days": 9,
        "quiet": ("bram", "Bram Kok", "nl", ["e-bikes", "accu"]),
        "quiet_tip": "Tip: vraag altijd naar het laadgedrag van de klant",
        "invite": "nieuwe.expert@example.org",
    },
    "aanjagers-lokale-gezondheid": {
        "asker": "mira",
        "question": "Hoe bereik je bewoners die niet naar bijeenkomsten komen?",
        "tags": ["bewoners"],
        "days": 15,
        "quiet": ("saskia", "Saskia Vermeer", "nl", ["bewoners", "wijkaanpak"]),
        "quiet_tip": "Tip: ga langs bij de voedselbank op dinsdag",
        "invite": "wijkcoach@example.org",
    },
    "web-developers": {
        "asker": "olivia",
        "question": "How do you test focus order in a design system?",
        "tags": ["accessibility"],
        "days": 10,
        "quiet": ("hannah", "Hannah Lee", "en", ["accessibility", "testing"]),
        "quiet_tip": "Tip: run axe in your component stories, not only on pages",
        "invite": "new.developer@example.org",
    },
}
QUIET_POST_DAYS = 50
JOINED_DAYS = 120


def _person(key: str, name: str, language: str = "nl") -> User:
    email = f"{key}@example.org"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, display_name=name, language=language)
    return user


def _set_back(model: type[Any], pk: int, days: int, *fields: str) -> None:
    when = timezone.now() - timedelta(days=days)
    model.objects.filter(pk=pk).update(**dict.fromkeys(fields, when))


@transaction.atomic
def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    admin = personas["admin"]
    for slug, spec in SPECS.items():
        community = communities.get(slug)
        if (
            community is None
            or Thread.objects.filter(community=community, title=spec["question"]).exists()
        ):
            continue
        key, name, language, expertise = spec["quiet"]
        quiet = _person(key, name, language)
        user_update_profile(
            user=quiet,
            display_name=name,
            organization=None,
            job_title="",
            bio="",
            expertise=expertise,
            interests=[],
            visibility={},
        )
        membership = membership_grant(
            community=community, user=quiet, role=Membership.Role.MEMBER, granted_by=admin
        )
        _set_back(Membership, membership.pk, JOINED_DAYS, "created_at", "updated_at")
        tip = thread_create(
            community=community, author=quiet, kind="tip", title=spec["quiet_tip"], body="…"
        )
        _set_back(Thread, tip.pk, QUIET_POST_DAYS, "created_at", "last_activity_at")
        question = thread_create(
            community=community,
            author=personas[spec["asker"]],
            kind=Thread.Kind.QUESTION,
            title=spec["question"],
            body=spec["question"],
            tags=spec["tags"],
        )
        _set_back(Thread, question.pk, spec["days"], "created_at", "last_activity_at")
        if "requester" in spec:
            requester = _person(*spec["requester"])
            membership_request(
                community=community, user=requester, message="", charter_accepted=True
            )
        else:
            facilitator = (
                Membership.objects.filter(
                    community=community,
                    state=Membership.State.ACTIVE,
                    role=Membership.Role.FACILITATOR,
                )
                .select_related("user")
                .first()
            )
            if facilitator is not None:
                invitation_create_many(
                    community=community, invited_by=facilitator.user, addresses=spec["invite"]
                )
