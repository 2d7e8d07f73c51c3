"""The meetings app's addresses; each views module declares its own patterns."""

from meetings.views import calendar, files, meetings, proposals

app_name = "meetings"
urlpatterns = (
    calendar.urlpatterns + meetings.urlpatterns + files.urlpatterns + proposals.urlpatterns
)
