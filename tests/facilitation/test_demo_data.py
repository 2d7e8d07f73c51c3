"""The demo gives every demo community something in its console, once."""

import pytest
from django.core.management import call_command

from communities.models import Community
from facilitation.selectors.answerers import answer_candidates
from facilitation.selectors.attention import attention_for
from facilitation.selectors.participation import participation_of
from members.models import User

pytestmark = pytest.mark.django_db


def test_each_demo_community_has_an_old_question_a_pending_person_and_a_quiet_member() -> None:
    call_command("load_demo_data")
    call_command("load_demo_data")
    admin = User.objects.get(email="admin@example.org")
    communities = list(Community.objects.all())
    assert len(communities) == 4
    for community in communities:
        attention = attention_for(community)
        assert attention.questions_total == 1, community
        counts = attention.counts
        assert counts.requests + counts.invitations >= 1, community
        assert participation_of(community).went_quiet, community
        candidates = answer_candidates(admin, community, attention.questions)
        assert candidates[attention.questions[0].pk], community
