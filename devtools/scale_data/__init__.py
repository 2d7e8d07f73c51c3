"""Synthetic data at scale for the benchmarks (`manage.py generate_scale_data`).

`rows` writes the members, communities, threads and replies; `text` makes the Dutch and
English words they are written in.
"""

from devtools.scale_data.rows import (
    BENCH_MEMBER,
    SCALE_DOMAIN,
    ScaleResult,
    Size,
    generate,
    save_result,
)

__all__ = ["BENCH_MEMBER", "SCALE_DOMAIN", "ScaleResult", "Size", "generate", "save_result"]
