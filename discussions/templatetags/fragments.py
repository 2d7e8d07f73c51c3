"""`{% thread_rows threads show_community=True %}`: a list's thread rows, from the
fragment cache where it can (see discussions.fragments)."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from discussions.fragments import thread_rows_html
from discussions.models import Thread

register = template.Library()


@register.simple_tag
def thread_rows(threads: Iterable[Thread], show_community: bool = False) -> SafeString:
    return thread_rows_html(threads, show_community=show_community)
