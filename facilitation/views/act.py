"""The console's acts: seed a thread from a template, notes, the stage's playbook.

Placeholders until the act side lands: the console links to these names.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def _not_yet(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


urlpatterns: list[URLPattern] = [
    path("communities/<slug:slug>/console/seed/", _not_yet, name="seed"),
    path("communities/<slug:slug>/console/notes/", _not_yet, name="notes"),
    path("communities/<slug:slug>/console/playbook/", _not_yet, name="playbook"),
]
