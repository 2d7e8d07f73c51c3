"""The dashboard as named tables: the page, its charts, the CSV export and the printed
report all read these, so each shows the same figures."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from value_cycles.models import Capital, Cycle
from value_cycles.selectors.dashboard import Dashboard


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list[object]]
    summary: str = ""


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    hours = value.total_seconds() / 3600
    if hours < 48:
        return _("%(n).1f hours") % {"n": hours}
    return _("%(n).1f days") % {"n": hours / 24}


def tables(board: Dashboard) -> dict[str, Table]:
    dev = board.development
    cycle_names = dict(Cycle.choices)
    result = [
        Table(
            "development",
            _("Community development"),
            [_("Figure"), _("Value")],
            [
                [_("Organisations involved"), dev.get("organisations", 0)],
                [_("Members"), dev.get("members", 0)],
                [_("New members in the period"), dev.get("new", 0)],
                [_("Members who wrote in the last 30 days"), dev.get("active_30", 0)],
                [_("Members who wrote in the last 90 days"), dev.get("active_90", 0)],
                [_("Readers (read, wrote nothing)"), dev.get("readers", 0)],
                [_("Discussions started"), dev.get("discussions", 0)],
                [_("Replies"), dev.get("replies", 0)],
                [_("Questions asked"), dev.get("questions", 0)],
                [_("Questions solved"), dev.get("solved", 0)],
                [_("Median time to a first answer"), _duration(dev.get("median_first_answer"))],
                [_("Median time to a solution"), _duration(dev.get("median_solution"))],
                [_("Published knowledge pages"), dev.get("knowledge_pages", 0)],
            ],
        ),
        Table(
            "organisations",
            _("Members by organisation"),
            [_("Organisation"), _("People")],
            [[name, n] for name, n in board.organisations],
            summary=_(
                "Organisations with fewer than 3 people are not shown on their own "
                "(%(n)s such organisations)."
            )
            % {"n": board.organisations_hidden},
        ),
        Table(
            "themes",
            _("Themes with activity"),
            [_("Tag"), _("Discussions")],
            [[name, n] for name, n in board.themes],
        ),
        Table(
            "participation",
            _("Participation"),
            [_("Level"), _("Members")],
            [
                [_("Core (10 or more posts)"), board.participation.get("core", 0)],
                [_("Active (3 to 9 posts)"), board.participation.get("active", 0)],
                [_("Occasional (1 or 2 posts)"), board.participation.get("occasional", 0)],
                [_("Readers"), board.participation.get("readers", 0)],
                [_("Not seen in the period"), board.participation.get("quiet", 0)],
            ],
            summary=_("Reading is participation too; readers are counted, never named."),
        ),
        Table(
            "cycles",
            _("Value events per cycle"),
            [_("Cycle"), _("Events")],
            [[cycle_names[c], board.per_cycle.get(c, 0)] for c in Cycle.values],
            summary=_(
                "Cycle 1 is activity, not yet impact; cycles 3 and 4 show changed "
                "practice and results."
            ),
        ),
        Table(
            "months",
            _("Value events per month"),
            [_("Month"), *[str(cycle_names[c]) for c in Cycle.values]],
            [
                [
                    formats.date_format(m, "YEAR_MONTH_FORMAT"),
                    *[board.per_month[m].get(c, 0) for c in Cycle.values],
                ]
                for m in board.months
            ],
        ),
        Table(
            "conversion",
            _("From help to practice"),
            [_("Step"), _("Events")],
            [
                [_("It helped (cycle 1)"), board.conversion.get("helped", 0)],
                [_("... and was applied (cycle 3)"), board.conversion.get("applied", 0)],
                [_("... and improved results (cycle 4)"), board.conversion.get("realised", 0)],
            ],
        ),
        Table(
            "capital",
            _("Kinds of knowledge gained"),
            [_("Kind"), _("Events")],
            [[dict(Capital.choices).get(k, k), n] for k, n in board.capital],
        ),
        Table(
            "figures",
            _("Realised results"),
            [_("Unit"), _("Total"), _("Events")],
            [[unit, total, n] for unit, total, n in board.figures],
        ),
        Table(
            "aspirations",
            _("Aspirations beside outcomes"),
            [_("Cycle"), _("Hoped for"), _("Events so far")],
            [
                [
                    cycle_names[c],
                    " / ".join(a.text for a in board.aspirations.get(c, [])),
                    board.per_cycle.get(c, 0),
                ]
                for c in Cycle.values
                if board.aspirations.get(c)
            ],
        ),
    ]
    result[0].summary = _(
        "%(members)s members from %(organisations)s organisations; %(solved)s of "
        "%(questions)s questions solved."
    ) % {
        "members": dev.get("members", 0),
        "organisations": dev.get("organisations", 0),
        "solved": dev.get("solved", 0),
        "questions": dev.get("questions", 0),
    }
    for table in result:
        if not table.summary:
            table.summary = _summary(table)
    return {table.name: table for table in result}


def _summary(table: Table) -> str:
    if not table.rows:
        return _("Nothing in this period yet.")
    if len(table.headers) == 2 and all(isinstance(r[1], int) for r in table.rows):
        top = max(table.rows, key=lambda r: r[1])  # type: ignore[arg-type,return-value]
        return _("%(total)s in all; the most: %(label)s (%(n)s).") % {
            "total": sum(r[1] for r in table.rows),  # type: ignore[misc]
            "label": top[0],
            "n": top[1],
        }
    return _("%(n)s rows.") % {"n": len(table.rows)}
