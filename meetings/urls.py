"""The meetings app's addresses; each views module declares its own patterns."""

from meetings.views import calendar, meetings, proposals

app_name = "meetings"
urlpatterns = calendar.urlpatterns + meetings.urlpatterns + proposals.urlpatterns
