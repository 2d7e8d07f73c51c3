"""What several discussion views share: the thread URL that shows a given reply, and
the Vary header of responses that differ for htmx requests."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from discussions.models import Thread
from discussions.selectors.threads import reply_page_number


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Mark a response that differs for htmx requests (a partial instead of a page), so
    no cache serves one for the other."""
    patch_vary_headers(response, ["HX-Request"])
    return response


def thread_url(request: HttpRequest, thread: Thread, reply_id: int | None = None) -> str:
    """The thread's address, on the page and at the anchor of `reply_id` when given."""
    url = thread.get_absolute_url()
    if reply_id is None:
        return url
    page = reply_page_number(request.user, thread, reply_id)
    return f"{url}?page={page}#reply-{reply_id}" if page > 1 else f"{url}#reply-{reply_id}"
