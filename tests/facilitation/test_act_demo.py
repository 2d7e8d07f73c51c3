import pytest
from django.core.management import call_command

from communities.models import CommunityProposal, ProposalSupport
from facilitation.models import FacilitatorNote, PlaybookTick

pytestmark = pytest.mark.django_db


def test_demo_notes_ticks_and_proposals_with_supporters_once() -> None:
    call_command("load_demo_data")
    counts = (
        FacilitatorNote.objects.count(),
        PlaybookTick.objects.count(),
        CommunityProposal.objects.count(),
        ProposalSupport.objects.count(),
    )
    assert all(counts)
    assert CommunityProposal.objects.filter(state="open", supports__isnull=False).exists()
    call_command("load_demo_data")
    assert (
        FacilitatorNote.objects.count(),
        PlaybookTick.objects.count(),
        CommunityProposal.objects.count(),
        ProposalSupport.objects.count(),
    ) == counts
