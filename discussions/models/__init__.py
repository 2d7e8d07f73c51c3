"""The discussions app's models, one module per sub-domain; every model (and
`attachment_path`, named by a migration) is importable from here."""

from discussions.models.knowledge import KnowledgePage, KnowledgePageRevision
from discussions.models.moderation import CommunityMute, Flag
from discussions.models.notifications import Notification, Subscription
from discussions.models.posts import (
    Attachment,
    Reply,
    Revision,
    TaggedThread,
    Thread,
    attachment_path,
)
from discussions.models.reactions import Reaction
from discussions.models.reading import CommunityVisit, ReadState

__all__ = [
    "Attachment",
    "CommunityMute",
    "CommunityVisit",
    "Flag",
    "KnowledgePage",
    "KnowledgePageRevision",
    "Notification",
    "Reaction",
    "ReadState",
    "Reply",
    "Revision",
    "Subscription",
    "TaggedThread",
    "Thread",
    "attachment_path",
]
