"""Template filters for meeting links that arrive as JSON (the thread page's
`meetings_discussed`, see meetings.selectors.thread_page_annotations)."""

from datetime import datetime

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def as_datetime(value: str | None) -> datetime | None:
    """An ISO 8601 timestamp from a JSON column as an aware datetime, so that the `date`
    filter shows it in the viewer's time zone."""
    return parse_datetime(value) if value else None
