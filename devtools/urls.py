"""Routed by cop_platform/urls.py only when this app is installed (DJANGO_DEV_TOOLS)."""

from django.urls import path

from devtools import views

urlpatterns = [
    path("bench/hello/", views.bench_hello_view, name="bench-hello"),
]
