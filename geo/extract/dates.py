"""Dates in news text: "on Tuesday", "late on Monday", "June 6, 2017", "yesterday"."""

from __future__ import annotations

import datetime as dt
import re

from geo.extract.lexicon import MONTHS, WEEKDAYS

_MONTH = "|".join(m.capitalize() for m in MONTHS) + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_EXPLICIT = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}}))?)\b"
)
_WEEKDAY = re.compile(r"\b(" + "|".join(d.capitalize() for d in WEEKDAYS) + r")(?:['’]s)?\b")
_RELATIVE = re.compile(r"\b(today|yesterday|tonight|last night|this morning|this week)\b", re.IGNORECASE)


def _month(name: str) -> int:
    low = name.casefold()[:3]
    return next(i + 1 for i, m in enumerate(MONTHS) if m.startswith(low))


def dates_in(sentence: str, article_date: dt.date | None) -> list[tuple[int, int, dt.date]]:
    """Each date expression of ``sentence`` as (start, end, date), in order.

    Weekday names count back from ``article_date`` (the same weekday is that day);
    without an article date only dates that give their year are returned.
    """
    found: list[tuple[int, int, dt.date]] = []
    for m in _EXPLICIT.finditer(sentence):
        month = _month(m.group("m1") or m.group("m2"))
        day = int(m.group("d1") or m.group("d2"))
        year_text = m.group("y1") or m.group("y2")
        if year_text:
            year = int(year_text)
        elif article_date:
            year = article_date.year
            if dt.date(year, month, min(day, 28)) > article_date + dt.timedelta(days=31):
                year -= 1
        else:
            continue
        try:
            found.append((m.start(), m.end(), dt.date(year, month, day)))
        except ValueError:
            continue
    if article_date:
        for m in _WEEKDAY.finditer(sentence):
            weekday = WEEKDAYS.index(m.group(1).casefold())
            back = (article_date.weekday() - weekday) % 7
            found.append((m.start(), m.end(), article_date - dt.timedelta(days=back)))
        for m in _RELATIVE.finditer(sentence):
            word = m.group(1).casefold()
            days = 1 if word in {"yesterday", "last night"} else 0
            found.append((m.start(), m.end(), article_date - dt.timedelta(days=days)))
    found.sort()
    return found
