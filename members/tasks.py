from celery import shared_task

from members.services import users_purge_unverified


@shared_task(name="members.purge_unverified_accounts", ignore_result=True, acks_late=True)
def purge_unverified_accounts() -> int:
    """Nightly: forget sign-ups that never verified their address (idempotent)."""
    return users_purge_unverified()
