"""Each views module declares its own urlpatterns; fixed paths come before <slug>."""

from communities.views import communities, invitations, memberships, people, proposals

app_name = "communities"

urlpatterns = [
    *invitations.urlpatterns,
    *proposals.urlpatterns,
    *communities.urlpatterns,
    *memberships.urlpatterns,
    *people.urlpatterns,
]
