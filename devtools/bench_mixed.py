"""`manage.py bench --mixed`: many signed-in members at once on a weighted mix of pages.

The performance issue's load test: N members (50 for `make bench-mixed`), each signed in
with a session of its own, read thread pages of different sizes, thread lists, community
homes, the feed, search, profiles and notifications, and now and then react or reply
(devtools/bench_plan.py). gunicorn serves them as in `make bench`; wrk drives them
with one thread and one connection per member (devtools/bench_mixed.lua). The
target: 0 errors, p95 < 500 ms.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from django.conf import settings

from devtools import benchmark
from devtools.bench_plan import MIX, STEPS_PER_MEMBER, Member, members, render_script
from devtools.bench_proxy import buffering_proxy

MARKER = "MIXED_RESULT "
P95_TARGET_MS = 500.0


def parse_wrk_output(text: str) -> dict[str, Any]:
    """The figures from wrk's output: the MIXED_RESULT line the script's done() writes.

    errors = socket errors (connect, read, write, timeout) + answers >= 400, as the
    issue counts them; non_200 also counts redirects, which here mean a lost session.
    """
    lines = [line for line in text.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise ValueError("no MIXED_RESULT line in wrk's output")
    raw = json.loads(lines[-1][len(MARKER) :])
    seconds = raw["duration_us"] / 1e6
    statuses = {int(code): int(n) for code, n in raw["statuses"].items()}
    socket_errors = {key: int(raw[key]) for key in ("connect", "read", "write", "timeout")}
    return {
        "requests": int(raw["requests"]),
        "duration_s": round(seconds, 1),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": sum(socket_errors.values()) + int(raw["status"]),
        "socket_errors": socket_errors,
        "statuses": {str(code): statuses[code] for code in sorted(statuses)},
        "non_200": sum(n for code, n in statuses.items() if code != 200),
    }


def _preflight(port: int, plan: list[Member]) -> list[str]:
    """One request of each kind in the plan, as wrk will send it, must answer 200."""
    failures = []
    seen: set[str] = set()
    for member in plan:
        for step in member.steps:
            if step.kind in seen:
                continue
            seen.add(step.kind)
            post = step.method == "POST"
            status = benchmark._status(
                port,
                step.path,
                member.cookie,
                data=step.body.encode() if post else None,
                headers={"X-CSRFToken": member.csrf, "HX-Request": "true"} if post else None,
            )
            if status != 200:
                failures.append(f"{step.kind} {step.method} {step.path}: HTTP {status}")
    return failures


def _wrk(port: int, users: int, seconds: int, script: Path) -> dict[str, Any]:
    # One thread per member, one connection per thread: see bench_mixed.lua.
    args = ["wrk", f"-t{users}", f"-c{users}", f"-d{seconds}s", "--timeout", "10s", "-s"]
    args += [str(script), f"http://127.0.0.1:{port}/"]
    done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    try:
        return parse_wrk_output(done.stdout)
    except ValueError:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}") from None


def run_mixed(
    *,
    size: str,
    users: int,
    seconds: int,
    think_ms: int,
    smoke: bool,
    proxy: bool = False,
    out: Callable[[str], None] = print,
) -> int:
    """Run the mixed load; return a process exit code (non-zero on errors with --smoke)."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    data = benchmark._ensure_data(size, out)
    plan = members(data, users)
    out(f"  {len(plan)} members signed in, {STEPS_PER_MEMBER} steps each")
    bench_dir = settings.VAR_DIR / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    script = bench_dir / "mixed.lua"
    script.write_text(render_script(plan, think_ms=think_ms))

    workers = os.cpu_count() or 2
    upstream = benchmark._free_port()
    server = benchmark._start_server(upstream, workers)
    try:
        with ExitStack() as stack:
            port = upstream
            if proxy:  # what production has in front (bench_proxy)
                port = benchmark._free_port()
                stack.enter_context(
                    buffering_proxy(directory=bench_dir / "nginx", port=port, upstream=upstream)
                )
            failures = _preflight(port, plan)
            report: dict[str, Any] = {}
            if not failures:
                _wrk(port, users, min(2, seconds), script)  # warm-up
                out(f"  {users} members for {seconds} s...")
                report = _wrk(port, users, seconds, script)
    finally:
        server.terminate()
        server.wait(timeout=30)

    result = {
        "size": size,
        "users": users,
        "seconds": seconds,
        "think_ms": think_ms,
        "proxy": "nginx" if proxy else "none",
        "workers": workers,
        **report,
        "preflight_failures": list(failures),
        "mix": dict(MIX),
        "target": {"errors": 0, "p95_ms_below": P95_TARGET_MS},
        "commit": benchmark._commit(),
        "cores": os.cpu_count(),
    }
    if report:
        failures += [f"{report['errors']} errors"] if report["errors"] else []
        failures += [f"{report['non_200']} answers other than 200"] if report["non_200"] else []
    result["target_met"] = not failures and report.get("p95_ms", P95_TARGET_MS) < P95_TARGET_MS
    _write(bench_dir, result)
    _print(result, out)
    for failure in failures:
        out(f"FAIL {failure}")
    return 1 if (smoke and failures) else 0


def _write(bench_dir: Path, result: dict[str, Any]) -> None:
    """var/bench/mixed.json, and the "mixed" key of latest.json when a pages run left one."""
    (bench_dir / "mixed.json").write_text(json.dumps(result, indent=2))
    latest = bench_dir / "latest.json"
    if latest.is_file():
        merged = json.loads(latest.read_text())
        merged["mixed"] = result
        latest.write_text(json.dumps(merged, indent=2))


def _print(result: dict[str, Any], out: Callable[[str], None]) -> None:
    out("")
    out(
        f"mixed load: {result['users']} members, {result['seconds']} s, think time "
        f"{result['think_ms']} ms, {result['size']} set, {result['workers']} workers, "
        f"proxy: {result['proxy']}"
    )
    if "requests" in result:
        out(
            f"{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'max ms':>9}{'errors':>8}{'non-200':>9}"
        )
        out(
            f"{result['requests']:>10}{result['rps']:>9}{result['p50_ms']:>9}"
            f"{result['p95_ms']:>9}{result['p99_ms']:>9}{result['max_ms']:>9}"
            f"{result['errors']:>8}{result['non_200']:>9}"
        )
        statuses = ", ".join(f"{code}: {n}" for code, n in result["statuses"].items())
        out(f"statuses: {statuses}; socket errors: {result['socket_errors']}")
    met = "met" if result["target_met"] else "NOT met"
    out(f"target (0 errors, p95 < {P95_TARGET_MS:.0f} ms): {met}")
    out(f"cores: {result['cores']}, commit: {result['commit']}, written to var/bench/mixed.json")
