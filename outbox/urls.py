from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("preferences/", views.preferences_view, name="preferences"),
    path("a/<str:token>/", views.action_view, name="action"),
]
