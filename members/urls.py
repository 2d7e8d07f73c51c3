from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.account_view, name="account"),
    path("language/", views.language_set_view, name="language-set"),
]
