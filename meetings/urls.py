"""The meetings app's addresses."""

app_name = "meetings"
urlpatterns: list = []
