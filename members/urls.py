from django.urls import path

from members import views, views_privacy, views_profile

app_name = "members"

urlpatterns = [
    path("", views.account_view, name="account"),
    path("language/", views.language_set_view, name="language-set"),
    path("profile/", views_profile.profile_edit_view, name="profile-edit"),
    path("profile/photo/", views_profile.profile_avatar_view, name="profile-avatar"),
    path("data/", views_privacy.privacy_data_view, name="privacy-data"),
    path("data/export/", views_privacy.export_request_view, name="export-request"),
    path(
        "data/export/<int:export_id>/",
        views_privacy.export_download_view,
        name="export-download",
    ),
    path("delete/", views_privacy.member_erase_view, name="member-erase"),
]
