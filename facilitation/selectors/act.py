"""What the console page shows of the act side (notes, playbook progress, templates)."""

from communities.models import Community
from members.types import Viewer


def act_context(user: Viewer, community: Community) -> dict[str, object]:
    """Context for templates/facilitation/_act_panel.html, from bounded queries."""
    return {}
