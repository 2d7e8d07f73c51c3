from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from members.forms import AccountForm
from members.services import user_set_language, user_update_preferences
from members.types import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def account_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = AccountForm(request.POST, current_time_zone=user.time_zone)
        if form.is_valid():
            user_update_preferences(user=user, **form.cleaned_data)
            translation.activate(user.language)
            messages.success(request, _("Your settings have been saved."))
            response = redirect("members:account")
            # Keep the language after logging out too.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite="Lax",
            )
            return response
    else:
        form = AccountForm(
            initial={
                "display_name": user.display_name,
                "language": user.language,
                "time_zone": user.time_zone,
            },
            current_time_zone=user.time_zone,
        )
    # Single sign-on exists only when configured (COP_OIDC_SERVER_URL).
    sso_enabled = apps.is_installed("allauth.socialaccount")
    return render(request, "members/account.html", {"form": form, "sso_enabled": sso_enabled})


@login_not_required
@require_POST
def language_set_view(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, safe redirect), remembered on the account too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and translation.check_for_language(language):
        user_set_language(user=request.user, language=language)
    return response
