"""The time zones offered on the account form: a short list of readable names in the
person's language, grouped by region, the Netherlands first (where most members live),
instead of the 599 raw names of the time-zone database. The stored value is still the
database name (`User.time_zone` accepts every one of them); a zone someone chose before
that is not in this list stays offered to them, under "Other"."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (zone, readable name), per region; names of places as the language writes them.
TIME_ZONE_GROUPS: tuple[tuple[Promise, tuple[tuple[str, Promise], ...]], ...] = (
    (
        _("Europe"),
        (
            ("Europe/Amsterdam", _("Amsterdam (Netherlands)")),
            ("Europe/Brussels", _("Brussels (Belgium)")),
            ("Europe/Berlin", _("Berlin (Germany)")),
            ("Europe/London", _("London (United Kingdom)")),
            ("Europe/Dublin", _("Dublin (Ireland)")),
            ("Europe/Paris", _("Paris (France)")),
            ("Europe/Luxembourg", _("Luxembourg")),
            ("Europe/Madrid", _("Madrid (Spain)")),
            ("Europe/Lisbon", _("Lisbon (Portugal)")),
            ("Europe/Rome", _("Rome (Italy)")),
            ("Europe/Zurich", _("Zurich (Switzerland)")),
            ("Europe/Vienna", _("Vienna (Austria)")),
            ("Europe/Copenhagen", _("Copenhagen (Denmark)")),
            ("Europe/Stockholm", _("Stockholm (Sweden)")),
            ("Europe/Oslo", _("Oslo (Norway)")),
            ("Europe/Helsinki", _("Helsinki (Finland)")),
            ("Europe/Warsaw", _("Warsaw (Poland)")),
            ("Europe/Athens", _("Athens (Greece)")),
            ("Europe/Istanbul", _("Istanbul (Turkey)")),
        ),
    ),
    (
        _("Caribbean Netherlands, Aruba, Curaçao, Sint Maarten and Suriname"),
        (
            ("America/Curacao", _("Curaçao")),
            ("America/Aruba", _("Aruba")),
            ("America/Kralendijk", _("Bonaire, Sint Eustatius and Saba")),
            ("America/Lower_Princes", _("Sint Maarten")),
            ("America/Paramaribo", _("Paramaribo (Suriname)")),
        ),
    ),
    (
        _("Americas"),
        (
            ("America/New_York", _("New York (United States, Eastern)")),
            ("America/Chicago", _("Chicago (United States, Central)")),
            ("America/Denver", _("Denver (United States, Mountain)")),
            ("America/Los_Angeles", _("Los Angeles (United States, Pacific)")),
            ("America/Toronto", _("Toronto (Canada)")),
            ("America/Sao_Paulo", _("São Paulo (Brazil)")),
        ),
    ),
    (
        _("Africa"),
        (
            ("Africa/Casablanca", _("Casablanca (Morocco)")),
            ("Africa/Lagos", _("Lagos (Nigeria)")),
            ("Africa/Nairobi", _("Nairobi (Kenya)")),
            ("Africa/Johannesburg", _("Johannesburg (South Africa)")),
        ),
    ),
    (
        _("Asia and Oceania"),
        (
            ("Asia/Dubai", _("Dubai (United Arab Emirates)")),
            ("Asia/Kolkata", _("India")),
            ("Asia/Jakarta", _("Jakarta (Indonesia)")),
            ("Asia/Singapore", _("Singapore")),
            ("Asia/Shanghai", _("China")),
            ("Asia/Tokyo", _("Tokyo (Japan)")),
            ("Australia/Sydney", _("Sydney (Australia)")),
            ("Pacific/Auckland", _("Auckland (New Zealand)")),
        ),
    ),
    (_("Other"), (("UTC", _("Coordinated Universal Time (UTC)")),)),
)

CURATED_ZONES = frozenset(zone for _region, zones in TIME_ZONE_GROUPS for zone, _name in zones)


def time_zone_choices(current: str = "") -> list[tuple[object, object]]:
    """Grouped choices for a select (`<optgroup>` per region); `current`, when it is a
    zone outside the list, is kept under "Other" so saving the form never changes it."""
    groups: list[tuple[object, object]] = [
        (region, list(zones)) for region, zones in TIME_ZONE_GROUPS
    ]
    if current and current not in CURATED_ZONES:
        region, zones = groups[-1]
        groups[-1] = (region, [(current, current), *zones])  # type: ignore[misc]
    return groups
