from django.urls import path

from discussions import views

app_name = "discussions"

urlpatterns = [
    path("c/<slug:slug>/threads/", views.thread_list_view, name="thread-list"),
    path("t/<int:thread_id>/", views.thread_detail_view, name="thread"),
]
