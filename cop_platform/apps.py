from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The project package as an app, so its system checks are registered."""

    name = "cop_platform"
    label = "cop_platform"
    verbose_name = "Platform"

    def ready(self) -> None:
        from cop_platform import checks  # noqa: F401  (registers the checks)
