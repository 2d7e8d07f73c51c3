"""The mixed-load benchmark's pieces that run without a server: the steps, the generated
wrk script and the reading of wrk's output (docs/performance.md)."""

import random
import re
from pathlib import Path

import pytest

from communities.models import Membership
from devtools.bench_mixed import parse_wrk_output
from devtools.bench_plan import (
    MIX,
    TEMPLATE,
    Member,
    Step,
    bench_users,
    plan_steps,
    render_script,
)
from members.models import User
from tests.conftest import make_community

TARGETS = {
    "slugs": ["scale-000", "scale-003"],
    "thread, small": [11, 12],
    "thread, medium": [21, 22],
    "thread, large": [31],
    "writable": [11, 12, 21, 22],
    "replies": [501, 502],
    "authors": [7, 8],
}

WRK_OUTPUT = """\
Running 30s test @ http://127.0.0.1:40123/
  50 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.31ms  201.55ms   1.92s    71.02%
    Req/Sec     2.01      1.12     9.00     80.11%
  3012 requests in 30.04s, 61.37MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    100.27
Transfer/sec:      2.04MB
MIXED_RESULT {"requests": 3012, "duration_us": 30040000, "connect": 0, "read": 2, \
"write": 0, "timeout": 1, "status": 4, "p50_us": 380120, "p95_us": 790400, \
"p99_us": 1210000, "max_us": 1920000, "statuses": {"200": 3000, "302": 8, "500": 4}}
"""


def _members() -> list[Member]:
    steps = [
        Step("thread, small", "GET", "/t/11/"),
        Step("search", "GET", "/search/?q=%22kennis+delen%22"),
        Step("react", "POST", "/replies/501/react/", "kind=thanks"),
        Step("reply", "POST", "/t/12/reply/", "body=Caf%C3%A9"),
    ]
    return [
        Member("bench-user-001@scale.test", "sessionid=abc; csrftoken=S1", "S1", steps),
        Member('odd"name\\ë@scale.test', "sessionid=def; csrftoken=S2", "S2", steps[:2]),
    ]


def test_script_starts_with_the_plan_and_ends_with_the_template() -> None:
    script = render_script(_members(), think_ms=250)
    head, _, tail = script.partition("\n\n")
    assert tail == TEMPLATE.read_text()
    assert "THINK_MS = 250" in head
    assert head.count("{") == head.count("}")
    assert '{ "GET", "/t/11/", "" },' in head
    assert '{ "POST", "/replies/501/react/", "kind=thanks" },' in head
    assert 'cookie = "sessionid=abc; csrftoken=S1", csrf = "S1",' in head
    assert head.count("steps = {") == 2


def test_script_escapes_quotes_backslashes_and_non_ascii_as_lua_byte_escapes() -> None:
    head = render_script(_members(), think_ms=0).partition("\n\n")[0]
    assert 'email = "odd\\034name\\092\\195\\171@scale.test"' in head
    # Nothing but printable ASCII reaches the file, so no encoding can break a literal.
    assert all(32 <= ord(c) < 127 for c in head.replace("\n", ""))
    for literal in re.findall(r'"((?:[^"\\]|\\.)*)"', head):
        assert '"' not in literal


def test_template_defines_every_wrk_hook_and_reads_the_generated_plan() -> None:
    template = TEMPLATE.read_text()
    for hook in ("setup(thread)", "init(args)", "request()", "response(status", "done(summary"):
        assert f"function {hook}" in template
    assert "PLAN[" in template and "THINK_MS" in template
    assert "X-CSRFToken" in template and "MIXED_RESULT " in template


def test_steps_use_only_the_given_ids_and_keep_writes_to_a_few_percent() -> None:
    steps = plan_steps(
        TARGETS,
        thread_200=2,
        queries=["kennis", "vraag antwoord"],
        rng=random.Random(1),
        count=2000,
    )
    assert len(steps) == 2000
    threads = {int(m) for s in steps for m in re.findall(r"^/t/(\d+)/$", s.path)}
    assert threads <= {2, 11, 12, 21, 22, 31}
    writes = [s for s in steps if s.method == "POST"]
    assert {s.kind for s in writes} == {"react", "reply"}
    assert 0.02 < len(writes) / len(steps) < 0.10
    assert all(s.path.startswith(("/replies/501/", "/replies/502/", "/t/")) for s in writes)
    assert {s.kind for s in steps} == {kind for kind, _ in MIX}


def test_steps_are_the_same_for_the_same_seed() -> None:
    def plan() -> list[Step]:
        return plan_steps(TARGETS, thread_200=2, queries=["kennis"], rng=random.Random(5))

    assert plan() == plan()


def test_wrk_output_is_read_from_the_scripts_result_line() -> None:
    result = parse_wrk_output(WRK_OUTPUT)
    assert result["requests"] == 3012
    assert result["rps"] == pytest.approx(100.3, abs=0.1)
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (380.1, 790.4, 1210.0)
    # Socket errors (read 2, timeout 1) plus answers >= 400 (4).
    assert result["errors"] == 7
    assert result["statuses"] == {"200": 3000, "302": 8, "500": 4}
    assert result["non_200"] == 12


def test_wrk_output_without_a_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="MIXED_RESULT"):
        parse_wrk_output("Running 1s test @ http://127.0.0.1:1/\n")


@pytest.mark.django_db
def test_bench_users_are_created_once_as_members_of_scale_communities(
    site_admin: User, facilitator: User
) -> None:
    for n in range(4):
        make_community(site_admin, facilitator, f"scale-{n:03d}")

    first = bench_users(3)
    again = bench_users(3)

    assert [u.pk for u in first] == [u.pk for u in again]
    assert first[0].email == "bench-user-001@scale.test"
    memberships = Membership.objects.filter(user__in=first)
    assert memberships.filter(community__slug="scale-000").count() == 3
    assert all(m.state == Membership.State.ACTIVE for m in memberships)
    assert memberships.count() == len({(m.user_id, m.community_id) for m in memberships})


def test_the_proxy_config_reads_requests_whole_and_keeps_pages_in_memory(tmp_path: Path) -> None:
    from devtools.bench_proxy import nginx_config

    config = nginx_config(directory=tmp_path, port=8001, upstream=8002)
    assert "listen 127.0.0.1:8001;" in config
    assert "proxy_pass http://127.0.0.1:8002;" in config
    # Never writes a response to a temp file (and so needs no writable temp dir for it).
    assert "proxy_max_temp_file_size 0;" in config
    assert f"pid {tmp_path}/nginx.pid;" in config and "daemon off;" in config
