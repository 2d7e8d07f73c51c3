"""Platform-level pages: home, health and error pages. App pages live in the apps."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from communities.selectors.communities import community_list_for_member
from discussions.permissions import communities_to_ask_in
from discussions.selectors.threads import home_feed

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    context = {}
    if request.user.is_authenticated:
        mine = list(community_list_for_member(request.user))
        context = {
            "my_communities": mine,
            "ask_in": communities_to_ask_in(request.user, mine),
            "recent_threads": home_feed(request.user, limit=10),
        }
    return render(request, "home.html", context)


# The colour of the browser's bar and of the installed app's splash screen: the site's
# ink colour, as in the icons (static/img/icon-*.png, drawn after favicon.svg).
THEME_COLOUR = "#1b1f24"


@login_not_required
@require_GET
def manifest_view(request: HttpRequest) -> HttpResponse:
    """The web app manifest, so a phone can add the site to its home screen: in the
    visitor's language, with the configured site name, the content type browsers ask
    for, and cached for a day (it names static files, which carry their own hashes)."""
    manifest = {
        "name": settings.COP_SITE_NAME,
        "short_name": settings.COP_SITE_NAME[:12],
        "description": _("Communities of practice: ask, answer and learn from peers."),
        "lang": get_language(),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@login_not_required
@require_GET
def privacy_view(request: HttpRequest) -> HttpResponse:
    """What is stored, why and for how long; the periods are the configured ones."""
    context = {
        "invitation_days": settings.COP_RETENTION_INVITATION_DAYS,
        "audit_days": settings.COP_RETENTION_AUDIT_DAYS,
        "notification_days": settings.COP_RETENTION_NOTIFICATION_DAYS,
        "export_days": settings.COP_EXPORT_DAYS,
    }
    return render(request, "privacy.html", context)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("health: database unreachable")
        return False


def _redis_urls() -> set[str]:
    """The Redis servers the site depends on: the cache's and Celery's broker (one and
    the same unless CACHE_URL and CELERY_BROKER_URL are set apart)."""
    broker = settings.CELERY_BROKER_URL.replace("redis+socket://", "unix://", 1)
    return {settings.CACHE_URL, broker}


def _redis_ok() -> bool:
    return all(_redis_answers(url) for url in sorted(_redis_urls()))


def _redis_answers(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        logger.exception("health: redis unreachable")
        return False


@login_not_required
@require_GET
@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    """For orchestrators: 200 when the database and Redis answer, 503 otherwise."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unreachable" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


# Error pages are rendered without the request's context processors failing over a
# broken database, so they use only what the template needs.
@login_not_required
def error_403_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def error_404_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def error_500_view(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
