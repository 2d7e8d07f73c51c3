"""One date format per language (settings.FORMAT_MODULE_PATH): "1 dec. 2026" in Dutch,
"1 Dec 2026" in English, in every list and card (the SHORT_* formats), and the month
written out where there is room (DATE_FORMAT). Templates name these formats
(`|date:"SHORT_DATE_FORMAT"`) instead of spelling out their own.

Django's abbreviated month names (the `b` and `M` formats) are marked below so that the
project's catalogue gives them each language's own abbreviations: Dutch writes "dec."
and "mrt." with a full stop, and "mei" whole.
"""

from django.utils.translation import gettext_noop

MONTH_ABBREVIATIONS = (
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
)
