"""Template context for every page: the signed-in user's unread notification count.

Lazy: `unread_notification_count` is a memoised callable, which templates call when
they first use it, so the one count query runs only on pages that show the number and
at most once per response; templates get a plain int (usable with `{% blocktranslate
count %}`). A view that already counted passes its own `unread_notification_count`,
which takes precedence over this one.
"""

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from discussions.selectors.notifications import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notification_count() -> int:
        return notification_unread_count(user)

    return {"unread_notification_count": unread_notification_count}
