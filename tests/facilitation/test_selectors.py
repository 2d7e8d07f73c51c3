"""The console's figures, checked against the hand-built community of world.py."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community
from facilitation.selectors.answerers import answer_candidates
from facilitation.selectors.attention import attention_for
from facilitation.selectors.health import WEEKS, activity_by_week, first_week_start
from facilitation.selectors.overview import overview_for
from facilitation.selectors.participation import level_of, participation_of
from members.models import User
from tests.facilitation.world import World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    community: Community, site_admin: User, facilitator: User, member: User, core_member: User
) -> World:
    return build_world(community, site_admin, facilitator, member, core_member)


def _names(members: list) -> list[str]:
    return sorted(m.name for m in members)


def test_levels_follow_the_documented_thresholds() -> None:
    assert level_of(4, 0, False) == "core"
    assert level_of(3, 0, False) == "active"
    assert level_of(1, 5, True) == "active"
    assert level_of(0, 1, True) == "occasional"
    assert level_of(0, 0, True) == "reader"
    assert level_of(0, 0, False) == "away"


def test_participation_levels_now_and_before(world: World) -> None:
    result = participation_of(world.community, world.now)
    assert result.counts == {"core": 1, "active": 2, "occasional": 1, "reader": 1, "away": 4}
    assert result.previous_counts == {
        "core": 0,
        "active": 2,
        "occasional": 1,
        "reader": 0,
        "away": 6,
    }
    assert _names(result.moved_up) == ["Ann", "Bob", "Dee"]
    assert _names(result.moved_down) == ["Cas", "Fay"]


def test_newcomers_never_posted_and_went_quiet(world: World) -> None:
    result = participation_of(world.community, world.now)
    assert _names(result.newcomers) == ["Cor Core", "Eve", "Fenna Facilitator", "Mira Member"]
    assert _names(result.never_posted) == ["Cor Core", "Dee", "Eve", "Mira Member"]
    assert _names(result.went_quiet) == ["Cas", "Fay"]


def test_activity_per_week_counts_threads_replies_readers(world: World, facilitator: User) -> None:
    activity = activity_by_week(facilitator, world.community, world.now)
    assert len(activity.weeks) == WEEKS
    start = timezone.localtime(first_week_start(world.now)).date()

    def week(days_ago: float) -> int:
        return (timezone.localtime(world.now - timedelta(days=days_ago)).date() - start).days // 7

    threads = [0] * WEEKS
    for days in (45, 20, 6, 3):  # the tip of 100 days ago is before the 12 weeks
        threads[week(days)] += 1
    replies = [0] * WEEKS
    for days in (45, 2, 3, 4, 5):
        replies[week(days)] += 1
    assert [w.threads for w in activity.weeks] == threads
    assert [w.replies for w in activity.weeks] == replies
    # Dee read the story today; authors' own reads are recorded by the services too.
    assert activity.weeks[-1].readers >= 1
    assert activity.shows_value


def test_core_members_see_no_value_column(world: World, core_member: User) -> None:
    assert not activity_by_week(core_member, world.community, world.now).shows_value


def test_needs_attention_lists_oldest_first(world: World) -> None:
    attention = attention_for(world.community, world.now)
    assert [t.pk for t in attention.questions] == [world.old_question.pk, world.bob_question.pk]
    assert attention.questions_total == 2
    assert [t.pk for t in attention.no_reply] == [world.fay_tip.pk]
    assert attention.no_reply_total == 1
    counts = attention.counts
    assert (counts.requests, counts.invitations, counts.flags) == (1, 1, 1)
    assert counts.meetings_without_outputs == 1
    assert [m.pk for m in attention.meetings] == [world.meeting.pk]
    assert [p.title for p in attention.proposals] == [
        "Beeldbellen in de praktijk",
        "Zonder stemmen",
    ]
    assert [p.n_votes for p in attention.proposals] == [2, 1]
    assert attention.total(manages=True) == 2 + 1 + 3 + 1
    assert attention.total(manages=False) == 2 + 1 + 1


def test_who_could_answer_matches_expertise_and_skips_the_author(
    world: World, facilitator: User
) -> None:
    attention = attention_for(world.community, world.now)
    candidates = answer_candidates(facilitator, world.community, attention.questions)
    old = candidates[world.old_question.pk]
    assert [c.name for c in old] == ["Eve", "Mira Member"]
    assert old[0].matching == ["Beeldbellen"]
    assert [c.name for c in candidates[world.bob_question.pk]] == ["Eve"]


def test_hidden_expertise_is_not_used(world: World, facilitator: User) -> None:
    from tests.factories import set_profile

    set_profile(world.people["eve"], visibility={"expertise": "private"})
    attention = attention_for(world.community, world.now)
    candidates = answer_candidates(facilitator, world.community, attention.questions)
    assert [c.name for c in candidates[world.old_question.pk]] == ["Mira Member"]
    assert candidates[world.bob_question.pk] == []


def test_overview_counts_per_community(world: World, facilitator: User) -> None:
    [row] = overview_for(facilitator, world.now)
    assert row.community == world.community
    assert (row.requests, row.invitations, row.flags) == (1, 1, 1)
    assert row.open_items == 3
    assert row.stale_items == 2  # 20 and 100 days old; 3 days exactly is not older
    assert row.posts_now == 3 + 4  # threads 20, 6, 3 days ago; Ann's replies
    assert row.posts_before == 2  # the question and Cas's reply 45 days ago
    assert row.members == 9
