"""The pool of distinct post bodies a data set reuses, per language: each rendered once
through the real Markdown pipeline and indexed once."""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import connection

from devtools.scale_data.progress import Meter
from devtools.scale_data.text import Vocabulary
from discussions.markdown import render_markdown
from discussions.services.search_index import search_config_of
from discussions.text import fold, html_to_text

# As in search_index's batch UPDATE for replies: the body weighs B.
_POOL_VECTORS = """
    SELECT setweight(to_tsvector(%s::regconfig, v.body), 'B')::text
    FROM unnest(%s::text[]) WITH ORDINALITY AS v(body, n) ORDER BY v.n
"""


def pool_size(threads: int, replies: int) -> int:
    """Distinct bodies per language: about thirty posts share one on the large set."""
    return min(max((threads + replies) // 36, 400), 30_000)


def pools(
    words: dict[str, Vocabulary],
    rng: random.Random,
    count: int,
    *,
    emit: Callable[[str], None],
    interval: float,
) -> dict[str, list[tuple[str, str, str]]]:
    """Per language: (Markdown, HTML, reply search vector) for `count` distinct bodies.

    The vector is the one `replies_reindex` builds for such a body, computed once per
    body here so that replies are written once, with their vector, by COPY."""
    result = {}
    for language, vocabulary in words.items():
        meter = Meter(
            f"{language} bodies", total=count, emit=emit, interval=interval, unit="bodies"
        )
        bodies = [vocabulary.body(rng) for _ in range(count)]
        html = [render_markdown(body) for body in meter.counted(bodies)]
        meter.done()
        with connection.cursor() as cursor:
            cursor.execute(
                _POOL_VECTORS,
                [search_config_of(language), [fold(html_to_text(h)) for h in html]],
            )
            vectors = [row[0] for row in cursor.fetchall()]
        result[language] = list(zip(bodies, html, vectors, strict=True))
    return result
