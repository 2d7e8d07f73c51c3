"""Follow-ups: recorded once, asked once, answered through a signed link once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_remove
from discussions.models import Reply, Thread
from discussions.services.posts import answer_accept
from members.models import User
from value_cycles.models import Capital, Cycle, FollowUp, ValueEvent
from value_cycles.services.events import value_event_record
from value_cycles.signing import follow_up_token
from value_cycles.tasks import (
    ask_follow_up,
    record_accepted_answer_follow_ups,
    send_due_follow_ups,
)

# Follow-up emails go through the outbox: delivered at once here.
pytestmark = pytest.mark.usefixtures("outbox_at_once")


def _follow_up_mails() -> list:
    # Not the facilitators' "a new member's first question" mail of the fixtures.
    return [m for m in mail.outbox if "/value/follow-up/" in m.body]


@pytest.fixture
def will_use(community: Community, member: User, answer: Reply) -> ValueEvent:
    return value_event_record(
        member=member,
        community=community,
        cycle=Cycle.POTENTIAL,
        source=answer,
        capital=Capital.TANGIBLE,
    )


def _due(days: int = 22) -> time_machine.travel:
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_ill_use_this_records_one_follow_up_due_after_the_delay(
    will_use: ValueEvent, settings: object
) -> None:
    follow_up = FollowUp.objects.get()
    assert follow_up.event == will_use
    assert follow_up.state == FollowUp.State.PENDING
    expected = will_use.created_at + timedelta(days=21)
    assert abs((follow_up.due_at - expected).total_seconds()) < 5


def test_an_accepted_answer_records_one_follow_up_for_the_asker(
    question: Thread, answer: Reply, member: User
) -> None:
    answer_accept(thread=question, reply=answer, by=member)
    assert record_accepted_answer_follow_ups() == 1
    assert record_accepted_answer_follow_ups() == 0
    follow_up = FollowUp.objects.get()
    assert (follow_up.user, follow_up.source_reply) == (member, answer)
    assert follow_up.reason == FollowUp.Reason.ACCEPTED_ANSWER


def test_a_due_follow_up_is_asked_exactly_once_in_the_recipients_language(
    will_use: ValueEvent, member: User
) -> None:
    User.objects.filter(pk=member.pk).update(language="en")
    assert send_due_follow_ups() == 0  # not due yet
    with _due():
        assert send_due_follow_ups() == 1
        assert send_due_follow_ups() == 0
        assert ask_follow_up(follow_up_id=FollowUp.objects.get().pk) is False
    assert len(_follow_up_mails()) == 1
    message = _follow_up_mails()[0]
    assert message.to == [member.email]
    assert message.subject == "Did it make a difference?"
    assert "/value/follow-up/" in message.body
    assert message.alternatives  # plain text and HTML
    follow_up = FollowUp.objects.get()
    assert follow_up.state == FollowUp.State.ASKED and follow_up.times_asked == 1


def test_someone_removed_since_is_not_asked(
    will_use: ValueEvent, member: User, community: Community, site_admin: User
) -> None:
    membership_remove(
        membership=Membership.objects.get(user=member, community=community), by=site_admin
    )
    with _due():
        assert send_due_follow_ups() == 0
    assert _follow_up_mails() == []
    assert FollowUp.objects.get().state == FollowUp.State.CLOSED


def _asked_link(name: str = "value_cycles:follow-up") -> tuple[FollowUp, str]:
    with _due():
        send_due_follow_ups()
    follow_up = FollowUp.objects.get()
    token = follow_up_token(follow_up_id=follow_up.pk, times_asked=follow_up.times_asked)
    return follow_up, reverse(name, kwargs={"token": token})


def test_yes_records_applied_and_realised_value_on_the_same_chain_without_a_login(
    will_use: ValueEvent, member: User
) -> None:
    _follow_up, url = _asked_link("value_cycles:follow-up-yes")
    client = Client()
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "what_changed": "Ambassadeur per team.",
            "what_result": "Minder reistijd.",
            "figure": "12",
            "unit": "uur",
            "tier": "40",
        },
    )
    assert response.status_code == 200
    cycles = list(
        ValueEvent.objects.filter(chain=will_use.chain)
        .values_list("cycle", flat=True)
        .order_by("cycle")
    )
    assert cycles == [Cycle.POTENTIAL, Cycle.APPLIED, Cycle.REALISED]
    assert set(ValueEvent.objects.values_list("member", flat=True)) == {member.pk}
    follow_up = FollowUp.objects.get()
    assert (follow_up.state, follow_up.answer) == (FollowUp.State.ANSWERED, FollowUp.Answer.YES)


def test_a_link_used_twice_changes_nothing_the_second_time(will_use: ValueEvent) -> None:
    _follow_up, url = _asked_link("value_cycles:follow-up-yes")
    data = {"what_changed": "Iets.", "tier": "20"}
    Client().post(url, data)
    response = Client().post(url, data)
    assert response.status_code == 200
    assert "Already answered" in response.text or "Al beantwoord" in response.text
    assert ValueEvent.objects.filter(cycle=Cycle.APPLIED).count() == 1


def test_not_yet_asks_again_later_and_the_old_link_stops_working(will_use: ValueEvent) -> None:
    _follow_up, url = _asked_link()
    assert Client().get(url).status_code == 200
    assert FollowUp.objects.get().state == FollowUp.State.ASKED  # a GET changes nothing
    Client().post(url, {"answer": "not_yet"})
    follow_up = FollowUp.objects.get()
    assert follow_up.state == FollowUp.State.SNOOZED
    assert follow_up.due_at > timezone.now() + timedelta(days=20)
    with _due(45):
        assert send_due_follow_ups() == 1
    assert FollowUp.objects.get().times_asked == 2
    response = Client().post(url, {"answer": "no"})
    assert FollowUp.objects.get().state == FollowUp.State.ASKED  # the old link: no effect
    assert response.status_code == 200


def test_no_closes_the_follow_up(will_use: ValueEvent) -> None:
    _follow_up, url = _asked_link()
    Client().post(url, {"answer": "no"})
    assert FollowUp.objects.get().state == FollowUp.State.CLOSED
    with _due(60):
        assert send_due_follow_ups() == 0


def test_an_expired_link_says_so_and_changes_nothing(will_use: ValueEvent) -> None:
    _follow_up, url = _asked_link()
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        response = Client().post(url, {"answer": "no"})
    assert response.status_code == 410
    assert FollowUp.objects.get().state == FollowUp.State.ASKED


def test_a_tampered_link_names_nothing(will_use: ValueEvent) -> None:
    follow_up, url = _asked_link()
    other = follow_up_token(follow_up_id=follow_up.pk + 1, times_asked=1)
    tampered = url.replace(url.split("/")[-2], other[:-3] + "abc")
    response = Client().post(tampered, {"answer": "no"})
    assert response.status_code == 404
    assert FollowUp.objects.get().state == FollowUp.State.ASKED


def test_follow_ups_switched_off_for_the_community_are_not_asked(
    will_use: ValueEvent, member: User, community: Community
) -> None:
    from outbox.preferences import preference_set
    from value_cycles.emails import KIND

    preference_set(user=member, kind=KIND, community_id=community.pk, value="off")
    with _due():
        assert send_due_follow_ups() == 0
    assert _follow_up_mails() == []
    assert FollowUp.objects.get().state == FollowUp.State.CLOSED


def test_the_follow_up_email_carries_the_outbox_footer_and_stop_link(
    will_use: ValueEvent, member: User
) -> None:
    with _due():
        send_due_follow_ups()
    [message] = _follow_up_mails()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/preferences/" in message.body
