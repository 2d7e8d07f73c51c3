import random
import re
from collections import Counter

import pytest
from django.db.models import F

from communities.models import Membership
from devtools.scale_data import BENCH_MEMBER, generate
from devtools.scale_data.progress import Meter
from devtools.scale_data.round_two import MEETINGS_PER_COMMUNITY, PROPOSALS_PER_COMMUNITY
from devtools.scale_data.text import vocabularies
from discussions.models import Reaction, Reply, Thread
from discussions.services.search_index import replies_reindex
from meetings.models import Meeting
from members.models import User
from value_cycles.models import Cycle, Tier, ValueEvent, ValueStory


def test_the_vocabulary_has_thousands_of_words_per_language_and_follows_the_seed() -> None:
    words = vocabularies(7)
    assert len(words["nl"].words) > 3000 and len(words["en"].words) > 3000
    assert "kennis" in words["nl"].words and "knowledge" in words["en"].words
    assert vocabularies(7) == words
    assert vocabularies(8)["nl"].words != words["nl"].words


def test_texts_have_a_zipf_like_spread_common_words_common_most_words_rare() -> None:
    vocabulary = vocabularies(7)["nl"]
    rng = random.Random(1)
    in_posts: Counter[str] = Counter()
    posts = 2000
    for _ in range(posts):
        in_posts.update({word.strip(".").lower() for word in vocabulary.body(rng).split()})
    content = [count for word, count in in_posts.most_common() if word in vocabulary.content.words]
    assert 0.08 < content[0] / posts < 0.35  # the most common word: in some posts, not all
    assert content[len(content) // 2] / posts < 0.01  # the median word: rare
    assert len(content) > 2000


@pytest.mark.django_db(transaction=True)  # the generator ends with VACUUM
def test_the_small_set_keeps_the_fixed_rows_and_indexes_replies_as_the_live_index() -> None:
    lines: list[str] = []
    result = generate("small", progress=lines.append, progress_interval=0)

    assert result.counts["threads"] == 1_000 and result.counts["replies"] == 10_000
    assert result.counts["nl_words"] > 3000
    assert Reply.objects.filter(thread_id=result.thread_20).count() == 20
    assert Reply.objects.filter(thread_id=result.thread_200).count() == 200
    # The bench member sees the pages as a plain member; someone else facilitates.
    assert (
        Membership.objects.get(user__email=BENCH_MEMBER, community__slug=result.community_slug).role
        == Membership.Role.MEMBER
    )
    assert (
        Membership.objects.filter(
            community__slug=result.community_slug, role=Membership.Role.FACILITATOR
        ).count()
        == 1
    )
    # Replies follow their thread and their parent, ids in the order they were written,
    # and titles vary per thread.
    assert not Reply.objects.filter(created_at__lt=F("thread__created_at")).exists()
    assert not Reply.objects.filter(created_at__lt=F("parent__created_at")).exists()
    assert not Reply.objects.exclude(parent=None).exclude(parent__thread=F("thread")).exists()
    by_id = list(Reply.objects.order_by("pk").values_list("pk", flat=True))
    assert list(Reply.objects.order_by("created_at", "pk").values_list("pk", flat=True)) == by_id
    assert Thread.objects.values("title").distinct().count() > 990
    # Counters agree with the rows they count.
    reacted = Reply.objects.filter(reaction_count=1).count()
    assert reacted == Reaction.objects.count() > 1000
    assert not Reply.objects.exclude(reaction_count__in=[0, 1]).exists()
    # The pooled vectors are the ones the live index builds.
    written = dict(Reply.objects.values_list("pk", "search_vector"))
    replies_reindex(list(written))
    assert dict(Reply.objects.values_list("pk", "search_vector")) == written
    assert all(written.values())
    # The second round: value events in chains (one per five replies), stories, meetings
    # with answers and agendas, topics with votes; the fixed rows the benchmark measures.
    assert 2_000 <= result.counts["value_events"] < 2_004  # whole chains
    assert ValueEvent.objects.filter(cycle=Cycle.REALISED).exists()
    assert ValueEvent.objects.values("chain").distinct().count() < 2_000
    assert result.counts["meetings"] == 5 * MEETINGS_PER_COMMUNITY
    assert result.counts["topic_proposals"] == 5 * PROPOSALS_PER_COMMUNITY
    meeting = Meeting.objects.get(pk=result.meeting)
    assert meeting.community.slug == result.community_slug
    assert set(meeting.agenda_items.values_list("thread_id", flat=True)) == {
        result.thread_20,
        result.thread_200,
    }
    story = ValueStory.objects.get(pk=result.story)
    assert story.is_published and story.tier == Tier.MEMBERS
    bench = User.objects.get(email=BENCH_MEMBER)
    assert (
        Membership.objects.get(user=bench, community__slug=result.sponsored_slug).role
        == Membership.Role.SPONSOR
    )
    assert not ValueEvent.objects.filter(source_reply_id=result.helped_reply).exists()
    # Progress: every step, and for every table its rows written, with rate and time left
    # while it runs (a line per 1,000 rows here, with no interval between lines).
    assert "replies..." in lines and lines[-1].startswith("  vacuum and statistics: ")
    for table in ["users", "memberships", "threads", "replies", "thread tags", "reactions"]:
        assert any(re.match(rf"  {table}: [\d,]+ rows in .+ \([\d,]+ rows/s\)$", x) for x in lines)
    running = [line for line in lines if line.startswith("  replies: ") and " left" in line]
    assert len(running) == 10  # at 1,000, 2,000 ... 10,000 of the 10,000 replies
    assert re.match(r"  replies: 1,000 of 10,000 rows \(10 %\), [\d,]+ rows/s, about ", running[0])


def test_progress_lines_come_every_interval_with_the_rate_and_the_time_left() -> None:
    now = [100.0]
    lines: list[str] = []
    meter = Meter("replies", total=10_000, emit=lines.append, interval=5, clock=lambda: now[0])
    for _ in range(4):
        now[0] += 1.5  # 1,000 rows per 1.5 s
        meter.add(1000)
    # A line once 5 s had passed (at 6 s, 4,000 rows), not at every check.
    assert lines == ["  replies: 4,000 of 10,000 rows (40 %), 667 rows/s, about 9.0 s left"]
    now[0] += 84
    meter.add(1000)
    assert lines[-1] == "  replies: 5,000 of 10,000 rows (50 %), 56 rows/s, about 1 min 30 s left"
    assert meter.done() == 5000
    assert lines[-1] == "  replies: 5,000 rows in 1 min 30 s (56 rows/s)"


def test_progress_without_a_known_total_gives_the_rows_and_the_rate() -> None:
    now = [0.0]
    lines: list[str] = []
    meter = Meter("thread tags", total=None, emit=lines.append, interval=0, clock=lambda: now[0])
    now[0] = 2.0
    meter.add(1000)
    assert lines == ["  thread tags: 1,000 rows, 500 rows/s"]
