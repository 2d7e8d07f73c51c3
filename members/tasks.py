from celery import shared_task

from members.services import export_build, exports_purge_expired, users_purge_unverified


@shared_task(name="members.purge_unverified_accounts", ignore_result=True, acks_late=True)
def purge_unverified_accounts() -> int:
    """Nightly: forget sign-ups that never verified their address (idempotent)."""
    return users_purge_unverified()


# Longer than the default limits: a long-time member's zip (attachments included) can
# take minutes to write. A build cut off is claimed again after STALE_BUILD.
@shared_task(
    name="members.build_export",
    ignore_result=True,
    acks_late=True,
    soft_time_limit=15 * 60,
    time_limit=20 * 60,
)
def build_export(*, export_id: int) -> str | None:
    """Make one data export's zip (idempotent: a second run finds it claimed or made)."""
    return export_build(export_id=export_id)


@shared_task(name="members.purge_expired_exports", ignore_result=True, acks_late=True)
def purge_expired_exports() -> int:
    """Nightly: delete the files of data exports past their expiry (idempotent)."""
    return exports_purge_expired()
