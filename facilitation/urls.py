"""The console's addresses; each views module declares its own patterns."""

from facilitation.views import act, console

app_name = "facilitation"
urlpatterns = console.urlpatterns + act.urlpatterns
