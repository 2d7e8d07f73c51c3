"""Whether the header menu offers the console overview: decided from the viewer's
access object, which is read with the user (no query of its own); lazy all the same."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from facilitation.permissions import can_see_overview


def console(request: HttpRequest) -> dict[str, object]:
    return {"shows_console_overview": SimpleLazyObject(lambda: can_see_overview(request.user))}
