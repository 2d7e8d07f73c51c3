"""Each views module declares its own urlpatterns."""

from discussions.views import (
    attachments,
    digest,
    knowledge,
    moderation,
    notifications,
    posts,
    search,
    threads,
)

app_name = "discussions"

urlpatterns = [
    *threads.urlpatterns,
    *posts.urlpatterns,
    *notifications.urlpatterns,
    *search.urlpatterns,
    *attachments.urlpatterns,
    *moderation.urlpatterns,
    *knowledge.urlpatterns,
    *digest.urlpatterns,
]
