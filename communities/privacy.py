"""The communities app's part of the data export (CommunitiesConfig.ready()).

Only what is the person's own: their memberships and what they wrote in requests,
what they did and what was done to them in the audit log (the action, not other
people's details), the invitations they sent (not the invitees' addresses) and those
addressed to them."""

from django.db.models import Q

from communities.models import (
    AuditEvent,
    CommunityProposal,
    Invitation,
    Membership,
    ProposalEvent,
    ProposalSupport,
    StageChange,
)
from members.models import User
from members.privacy import Row, labelled_rows, register_exporter


def membership_rows(user: User) -> list[Row]:
    return list(
        Membership.objects.filter(user=user)
        .order_by("pk")
        .values(
            "community__name",
            "role",
            "state",
            "charter_version_accepted",
            "charter_accepted_at",
            "request_message",
            "decided_at",
            "decline_reason",
            "created_at",
            "updated_at",
        )
    )


def activity_rows(user: User) -> list[Row]:
    """What the person did or had done to them in communities' logs."""
    audit = AuditEvent.objects.filter(Q(actor=user) | Q(subject=user)).order_by("pk")
    return [
        *(
            {
                "community": event.community.name,
                "action": event.action,
                "by_you": event.actor_id == user.pk,
                "about_you": event.subject_id == user.pk,
                "at": event.created_at,
            }
            for event in audit.select_related("community")
        ),
        *(
            {"community": name, "decided_a_request_at": at}
            for name, at in Membership.objects.filter(decided_by=user).values_list(
                "community__name", "decided_at"
            )
        ),
        *(
            {"community": name, "changed_stage_to": stage, "at": at}
            for name, stage, at in StageChange.objects.filter(changed_by=user).values_list(
                "community__name", "to_stage", "changed_at"
            )
        ),
    ]


def invitation_rows(user: User) -> list[Row]:
    sent = Invitation.objects.filter(invited_by=user).order_by("pk")
    received = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
    return [
        *(
            {"sent_to_community": name, "state": state, "created_at": at}
            for name, state, at in sent.values_list("community__name", "state", "created_at")
        ),
        *received.order_by("pk").values(
            "community__name", "message", "state", "created_at", "accepted_at"
        ),
    ]


def proposal_rows(user: User) -> list[Row]:
    """Communities the person proposed, supported, or decided on as a site admin."""
    return [
        *labelled_rows(
            CommunityProposal.objects.filter(proposer=user),
            "name",
            "focus",
            "urgency",
            "member_value",
            "who_else",
            "state",
            "created_at",
            label="proposed",
        ),
        *labelled_rows(
            ProposalSupport.objects.filter(user=user),
            "proposal__name",
            "created_at",
            label="would_join",
        ),
        *labelled_rows(
            CommunityProposal.objects.filter(decided_by=user),
            "name",
            "state",
            "decided_at",
            label="decided",
        ),
        *labelled_rows(
            ProposalEvent.objects.filter(actor=user),
            "proposal__name",
            "action",
            "created_at",
            label="proposal_action",
        ),
    ]


def register() -> None:
    register_exporter(
        "community_proposals",
        fields=[
            "communities.CommunityProposal.proposer",
            "communities.CommunityProposal.decided_by",
            "communities.ProposalSupport.user",
            "communities.ProposalEvent.actor",
        ],
        rows=proposal_rows,
    )
    register_exporter(
        "memberships",
        fields=["communities.Membership.user"],
        rows=membership_rows,
    )
    register_exporter(
        "community_activity",
        fields=[
            "communities.AuditEvent.actor",
            "communities.AuditEvent.subject",
            "communities.Membership.decided_by",
            "communities.StageChange.changed_by",
        ],
        rows=activity_rows,
    )
    register_exporter(
        "invitations",
        fields=["communities.Invitation.invited_by", "communities.Invitation.accepted_by"],
        rows=invitation_rows,
    )
