import random
from collections import Counter

import pytest
from django.db.models import F

from communities.models import Membership
from discussions.models import Reaction, Reply, Thread
from discussions.services.search_index import replies_reindex
from value_cycles.scale_data import BENCH_MEMBER, generate
from value_cycles.scale_data.text import vocabularies


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
    result = generate("small", progress=lambda step: None)

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
