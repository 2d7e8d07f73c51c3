"""The time-zone select reads in the person's language, short and grouped, and dates
have one format per language."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.utils import formats, translation

from members.forms import AccountForm
from members.models import User
from members.timezones import CURATED_ZONES, TIME_ZONE_GROUPS

pytestmark = pytest.mark.django_db


def test_the_list_is_short_real_and_starts_with_amsterdam() -> None:
    assert zoneinfo.available_timezones() >= CURATED_ZONES
    assert 30 <= len(CURATED_ZONES) <= 60
    assert TIME_ZONE_GROUPS[0][1][0][0] == "Europe/Amsterdam"


def test_the_select_reads_in_the_person_s_language() -> None:
    with translation.override("nl"):
        html = str(AccountForm()["time_zone"])
    assert '<optgroup label="Europa">' in html
    assert ">Brussel (België)</option>" in html
    assert "Etc/GMT" not in html and "Factory" not in html
    with translation.override("en"):
        assert ">Brussels (Belgium)</option>" in str(AccountForm()["time_zone"])


def test_a_zone_chosen_before_outside_the_list_is_kept(client: Client, member: User) -> None:
    User.objects.filter(pk=member.pk).update(time_zone="America/Argentina/Cordoba")
    client.force_login(member)
    html = client.get("/account/").content.decode()
    assert 'value="America/Argentina/Cordoba" selected' in html
    form = AccountForm(
        {"display_name": "Mira", "language": "nl", "time_zone": "America/Argentina/Cordoba"},
        current_time_zone="America/Argentina/Cordoba",
    )
    assert form.is_valid()
    refused = AccountForm({"display_name": "Mira", "language": "nl", "time_zone": "Factory"})
    assert not refused.is_valid()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["1 dec. 2026", "3 mei 2026", "9 mrt. 2026"]),
        ("en", ["1 Dec 2026", "3 May 2026", "9 Mar 2026"]),
    ],
)
def test_one_short_date_format_per_language(language: str, expected: list[str]) -> None:
    days = [datetime.date(2026, 12, 1), datetime.date(2026, 5, 3), datetime.date(2026, 3, 9)]
    with translation.override(language):
        assert [formats.date_format(day, "SHORT_DATE_FORMAT") for day in days] == expected
