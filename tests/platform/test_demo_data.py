import pytest
from django.core.management import call_command

from communities.models import Community
from devtools import demo
from discussions.models import Reply, Thread
from members.models import User

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Community.objects.count(),
        Thread.objects.count(),
        Reply.objects.count(),
    )


def test_demo_data_loads_once_and_a_second_run_changes_nothing() -> None:
    call_command("load_demo_data")
    first = _counts()
    assert first[0] >= 6 and first[1] >= 3 and first[2] >= 3
    call_command("load_demo_data")
    assert _counts() == first


def test_demo_data_has_dutch_and_english_communities_and_a_confidential_one() -> None:
    call_command("load_demo_data")
    assert set(Community.objects.values_list("language", flat=True)) == {"nl", "en"}
    assert Community.objects.filter(is_confidential=True, is_listed=False).exists()
    assert User.objects.filter(is_superuser=True).exists()


calls: list[tuple[dict[str, User], dict[str, Community]]] = []


def record_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    calls.append((personas, communities))


def test_each_demo_hook_gets_the_personas_by_key_and_the_communities_by_slug(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "DEMO_HOOKS", (f"{__name__}.record_demo",))
    calls.clear()
    call_command("load_demo_data")
    call_command("load_demo_data")  # hooks run every time; their rows are theirs to keep once

    assert len(calls) == 2
    personas, communities = calls[-1]
    assert personas["fenna"].email == "fenna@example.org"
    assert set(personas) == {persona.key for persona in demo.PERSONAS}
    assert communities["schade-experts"].is_confidential
    assert set(communities) == set(Community.objects.values_list("slug", flat=True))
