"""Norwegian text helpers in both målformer: dates, relative dates, lists.

Every function takes the målform (`"nn"` or `"nb"`) and returns text written
the way a native speaker of that målform writes it.
"""

from medverk.texts.dates import (
    format_date,
    format_datetime,
    format_relative,
    format_time,
    parse_norwegian_date,
)
from medverk.texts.lists import join_words, shorten

__all__ = [
    "format_date",
    "format_datetime",
    "format_relative",
    "format_time",
    "join_words",
    "parse_norwegian_date",
    "shorten",
]
