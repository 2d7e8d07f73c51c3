import pytest
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting, MeetingOutput, TopicProposal, TopicVote

pytestmark = pytest.mark.django_db


def test_demo_meetings_past_with_outputs_upcoming_and_voted_topics_once() -> None:
    call_command("load_demo_data")
    counts = (Meeting.objects.count(), MeetingOutput.objects.count(), TopicVote.objects.count())
    assert Meeting.objects.filter(ends_at__lt=timezone.now(), outputs__isnull=False).exists()
    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() >= 2
    assert TopicProposal.objects.filter(votes__isnull=False).distinct().count() >= 2
    call_command("load_demo_data")
    assert (
        Meeting.objects.count(),
        MeetingOutput.objects.count(),
        TopicVote.objects.count(),
    ) == counts
