from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from cop_platform import views

# The admin signs in through the same emailed-code login as everyone else.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "CoP platform"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("health/", views.health_view, name="health"),
    path("bench/hello/", views.bench_hello_view, name="bench-hello"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("members.urls")),
    path("communities/", include("communities.urls")),
    path("email/", include("outbox.urls")),
    path("", include("discussions.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "cop_platform.views.error_403_view"
handler404 = "cop_platform.views.error_404_view"
handler500 = "cop_platform.views.error_500_view"
