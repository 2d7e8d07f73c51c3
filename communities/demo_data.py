"""Demo data for public reading (a hook of devtools.demo): the community whose charter
says "everyone may read along" lets visitors do so without signing in, so a link to one
of its threads opens from a chat app. Through the service, by its facilitator; nothing
changes when it is already so."""

from communities.models import Community
from communities.services.communities import community_update
from members.models import User

PUBLIC_DEMO_COMMUNITY = "aanjagers-lokale-gezondheid"


def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    community = communities.get(PUBLIC_DEMO_COMMUNITY)
    if community is None or community.visibility == Community.Visibility.PUBLIC:
        return
    community_update(
        community=community, by=personas["fenna"], visibility=Community.Visibility.PUBLIC
    )
