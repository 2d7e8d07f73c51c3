"""Your own profile: the edit page and your own photo.

Other people's profiles, the expert finder and "members like you" depend on shared
communities and live in `communities.views.people`.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from members.images import avatar_content_type
from members.models import User
from members.profile_forms import ProfileForm, profile_initial
from members.ratelimits import rate_limit_hit
from members.selectors import avatar_version
from members.services import user_update_profile
from members.types import AuthenticatedHttpRequest

AVATAR_MAX_AGE = 60 * 60


def avatar_file_response(person: User) -> HttpResponse:
    """The person's stored photo. Callers decide first whether the viewer may see it.

    Only files this app made (by name) are served, with their exact type, no sniffing,
    and only private caches: visibility can change, and shared caches must never hold
    a photo meant for some viewers only.
    """
    name = person.avatar.name or ""
    content_type = avatar_content_type(name)
    if content_type is None:
        raise Http404
    try:
        with person.avatar.storage.open(name, "rb") as handle:
            content = handle.read()
    except OSError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, max_age=AVATAR_MAX_AGE)
    return response


@require_http_methods(["GET", "POST"])
def profile_edit_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    posted = request.method == "POST"
    if posted and request.FILES.get("avatar"):
        # Each photo is decoded and re-encoded: that CPU is what the limit protects.
        rate_limit_hit(request, "upload", key="user")
    form = ProfileForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=profile_initial(user),
        viewer=user,
    )
    if posted and form.is_valid():
        user_update_profile(user=user, **form.service_arguments())
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:profile-edit")
    context = {"form": form, "avatar_version": avatar_version(user)}
    return render(request, "members/profile_edit.html", context)


@require_GET
def profile_avatar_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return avatar_file_response(request.user)
