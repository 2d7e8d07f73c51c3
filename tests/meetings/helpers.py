"""Meetings made through the services, for tests."""

import zoneinfo
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from communities.models import Community
from meetings.models import Meeting
from meetings.services.meetings import meeting_create
from members.models import User

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def plan(
    community: Community,
    by: User,
    *,
    starts_at: datetime | None = None,
    hours: float = 2,
    **fields: Any,
) -> Meeting:
    start = starts_at or timezone.now() + timedelta(days=3)
    values: dict[str, Any] = {
        "kind": Meeting.Kind.MEETUP,
        "title": "Intervisie e-health",
        "description": "Casussen uit de praktijk.",
        "time_zone": "Europe/Amsterdam",
        "place": "Utrecht, Jaarbeurs",
        "online_link": "",
        "capacity": None,
        **fields,
    }
    return meeting_create(
        community=community,
        by=by,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **values,
    )
