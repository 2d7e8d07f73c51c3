"""Meetings as iCalendar (RFC 5545) with the icalendar package.

Times carry the organiser's time zone (TZID) with a VTIMEZONE for it, so a client
shows 10:00 in Amsterdam on both sides of a daylight-saving change. UID never
changes; SEQUENCE follows the meeting's; a cancelled meeting is STATUS:CANCELLED.
"""

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from icalendar import Calendar, Event

from meetings.models import Meeting

PRODID = "-//CoP platform//meetings//EN"


def _event(meeting: Meeting, *, show_link: bool) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at.astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(meeting.zone))
    event.add("dtend", meeting.ends_at.astimezone(meeting.zone))
    event.add("summary", meeting.title)
    url = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    event.add("url", url)
    lines = [meeting.description.strip(), url]
    location = meeting.place
    if show_link and meeting.online_link:
        lines.insert(1, meeting.online_link)
        location = location or meeting.online_link
    event.add("description", "\n\n".join(line for line in lines if line))
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_bytes(
    meetings: Iterable[tuple[Meeting, bool]], *, name: str, method: str | None = None
) -> bytes:
    """One calendar of (meeting, show the online link) pairs."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    for meeting, show_link in meetings:
        calendar.add_component(_event(meeting, show_link=show_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()
