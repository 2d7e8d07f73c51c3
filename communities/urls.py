"""Each views module declares its own urlpatterns; fixed paths come before <slug>."""

from communities.views import communities, invitations, memberships, people

app_name = "communities"

urlpatterns = [
    *invitations.urlpatterns,
    *communities.urlpatterns,
    *memberships.urlpatterns,
    *people.urlpatterns,
]
