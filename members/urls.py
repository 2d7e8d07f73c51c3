from django.urls import path

from members import views, views_profile

app_name = "members"

urlpatterns = [
    path("", views.account_view, name="account"),
    path("language/", views.language_set_view, name="language-set"),
    path("profile/", views_profile.profile_edit_view, name="profile-edit"),
    path("profile/photo/", views_profile.profile_avatar_view, name="profile-avatar"),
]
