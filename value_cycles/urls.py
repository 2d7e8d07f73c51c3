"""Each views module declares its own urlpatterns."""

from value_cycles.views import capture, dashboard, follow_ups, own

app_name = "value_cycles"

urlpatterns = [
    *capture.urlpatterns,
    *own.urlpatterns,
    *dashboard.urlpatterns,
    *follow_ups.urlpatterns,
]
