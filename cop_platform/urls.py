from allauth.account.decorators import secure_admin_login
from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from cop_platform import views

# The admin signs in through the same emailed-code login as everyone else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "CoP platform"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("health/", views.health_view, name="health"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("members.urls")),
    path("communities/", include("communities.urls")),
    path("email/", include("outbox.urls")),
    path("", include("discussions.urls")),
    path("", include("meetings.urls")),
    path("value/", include("value_cycles.urls")),
    path("", include("facilitation.urls")),
    path("admin/", admin.site.urls),
]

# Development only (DJANGO_DEV_TOOLS): the benchmark's hello view. Production settings
# never install the app, and the Docker image does not contain it.
if apps.is_installed("devtools"):
    urlpatterns.append(path("", include("devtools.urls")))

handler403 = "cop_platform.views.error_403_view"
handler404 = "cop_platform.views.error_404_view"
handler500 = "cop_platform.views.error_500_view"
