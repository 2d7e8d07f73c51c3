from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def bench_hello_view(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick: the full middleware stack, a signed-in user, no work.
    Page figures are reported as ratios to this view served by the same server."""
    return HttpResponse(b"hello", content_type="text/plain")
