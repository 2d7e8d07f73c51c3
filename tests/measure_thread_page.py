"""The thread page's in-process cost: median of 50 warm requests through Django's test
client, for a 20-reply and a 200-reply thread, read by a member. Not a test (no
wall-clock assertions in tests): run it by hand, on a quiet machine, with

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python -m tests.measure_thread_page

`--queries` prints the query counts of the thread page, the thread list, home, search
and the directory for the same member. `--profile` prints a pyinstrument profile of the
20-reply page (pyinstrument is in the dev extra). MEASURE_REQUESTS changes the 50.
It uses a throw-away test database, made and dropped like pytest's.
"""

import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

REQUESTS = int(os.environ.get("MEASURE_REQUESTS", "50"))


def _build() -> tuple[object, dict[int, int]]:
    from communities.models import Membership
    from communities.services.communities import community_create
    from communities.services.memberships import membership_grant
    from discussions.services.posts import reply_create, thread_create
    from discussions.services.reactions import reaction_toggle
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True)
    facilitator, member, writer = UserFactory(), UserFactory(), UserFactory()
    community = community_create(
        creator=admin,
        facilitator=facilitator,
        name="Meetplaats",
        slug="meet",
        focus="f",
        urgency="u",
        member_value="m",
    )
    membership_grant(
        community=community, user=member, role=Membership.Role.MEMBER, granted_by=admin
    )
    # A facilitator writes without the new members' daily limit.
    membership_grant(
        community=community, user=writer, role=Membership.Role.FACILITATOR, granted_by=admin
    )
    threads = {}
    for size in (20, 200):
        thread = thread_create(
            community=community, author=writer, kind="question", title=f"{size}", body="*Vraag*"
        )
        parent = None
        for i in range(size):
            parent = reply_create(
                thread=thread,
                author=writer if i % 2 else facilitator,
                body=f"Antwoord **{i}** met [een link](https://example.org/{i}).",
                parent=None if i % 3 == 0 else parent,
            )
            if i % 4 == 0:
                reaction_toggle(user=member, post=parent, kind="thanks")
        threads[size] = thread.pk
    return member, threads


def _medians_ms(client: Client, url: str) -> tuple[float, float]:
    """Wall-clock and this process's CPU time: on a loaded machine the second says
    more about the code (the database's own time is then left out)."""
    for _ in range(5):
        assert client.get(url).status_code == 200
    wall, cpu = [], []
    for _ in range(REQUESTS):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        member, threads = _build()
        client = Client()
        client.force_login(member)  # type: ignore[arg-type]
        for size, pk in threads.items():
            wall, cpu = _medians_ms(client, f"/t/{pk}/")
            print(f"thread page, {size} replies: median {wall:.1f} ms (CPU {cpu:.1f} ms)")
        if "--queries" in sys.argv:
            from django.db import connection as db
            from django.test.utils import CaptureQueriesContext

            pages = {
                "thread page, 20 replies": f"/t/{threads[20]}/",
                "thread list": "/c/meet/threads/",
                "home": "/",
                "search": "/search/?q=antwoord",
                "directory": "/communities/",
            }
            for name, url in pages.items():
                client.get(url)  # warm: cached header counts, tag suggestions
                with CaptureQueriesContext(db) as queries:
                    assert client.get(url).status_code == 200, url
                print(f"{name}: {len(queries)} queries")
        if "--profile" in sys.argv:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005, async_mode="disabled")
            profiler.start()
            for _ in range(REQUESTS):
                client.get(f"/t/{threads[20]}/")
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
