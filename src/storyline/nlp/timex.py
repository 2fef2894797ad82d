"""Date expressions normalised to TIMEX3 values against the publication date.

Precompiled patterns find the expressions in the clean text; spaCy's DATE entities confirm the
ambiguous ones (a bare "2011", "summer", "the day") and supply the few the patterns do not read,
which dateparser then tries. Each expression is normalised on its own against the publication
date, and the tense of the verb that governs it picks the occurrence: "on Saturday" in a
past-tense report is the Saturday before, "will meet on Sunday" the coming one. Relative
expressions in an undated document get ``None`` ("Saturday", "last month"); absolute ones keep
their value, and a month-day with no year ("6 December") gets ``XXXX-12-06`` there.

Values are TIMEX3: ``2023-07-26``, ``XXXX-07-26``, ``2023-07``, ``2023``, ``2023-W37``, ``2023-SU``,
``2023-Q3``, ``199X`` (a decade), ranges ``2023-07-25/2023-07-27`` and ``1950/1953``.
Durations ("six-day", "the past two years") are kind ``DURATION`` with a value such as ``P2Y``,
never a calendar date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from spacy.tokens import Doc, Span, Token

from storyline.model import Timex
from storyline.nlp.docview import view

Tense = Literal["past", "future"] | None
PAST: Tense = "past"
FUTURE: Tense = "future"

# The farthest back or ahead (in days) a bare weekday may point; 6 keeps it within the week
# before or after the report, the news convention ("said Thursday" is this week's Thursday).
WEEKDAY_REACH = 6
# How far (characters) around a trigger word ("April", "years", "2011") a date expression may
# reach. Measured on the seeds and the meantime, events and aebtext sets: at most 23 before
# ("the fourth consecutive month") and 8 after ("a year earlier"); the margins leave room.
WINDOW_BEFORE = 40
WINDOW_AFTER = 25

_S = r"[ \t\u00a0]+"  # spaces inside one line: a date never spans a line break
_S0 = r"[ \t\u00a0]*"
_DASH = rf"{_S0}[-–—]{_S0}"
_YEAR = r"(?<![\d$£€.,])(?:1\d{3}|20\d{2})(?![\d%]|,\d|\.\d)"
_DAY = r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d|:|\.\d|,\d)"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, tuple[str, int]]
    numbers: dict[str, int]
    vague: frozenset[str]
    ordinals: dict[str, int]
    units: dict[str, tuple[str, bool, int]]
    future_lemmas: frozenset[str]
    future_aux: frozenset[str]
    past_preps: frozenset[str]
    open_preps: frozenset[str]
    cues: frozenset[str]
    ambiguous_months: frozenset[str]
    set_words: dict[str, str]


@lru_cache(maxsize=1)
def load_lexicon() -> _Lexicon:
    """The word tables of ``data/timex.json`` (read once per process)."""
    raw = json.loads(resources.files("storyline.nlp").joinpath("data/timex.json").read_text("utf-8"))
    months = dict(raw["months"]) | dict(raw["month_abbreviations"])
    return _Lexicon(
        months=months,
        weekdays=dict(raw["weekdays"]),
        seasons={k: (v[0], int(v[1])) for k, v in raw["seasons"].items()},
        numbers=dict(raw["numbers"]),
        vague=frozenset(raw["vague_numbers"]),
        ordinals=dict(raw["ordinals"]),
        units={k: (v[0], bool(v[1]), int(v[2])) for k, v in raw["units"].items()},
        future_lemmas=frozenset(raw["future_lemmas"]),
        future_aux=frozenset(raw["future_auxiliaries"]),
        past_preps=frozenset(raw["past_prepositions"]),
        open_preps=frozenset(raw["open_prepositions"]),
        cues=frozenset(raw["date_cues"]),
        ambiguous_months=frozenset(raw["ambiguous_months"]),
        set_words=dict(raw["set_words"]),
    )


def _alt(words: object) -> str:
    """A regex alternation of words, longest first so "Sept" wins over "Sep"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The expression patterns, compiled once; on a tie in length the earlier one wins."""
    lx = load_lexicon()
    full = [m for m, n in lx.months.items() if len(m) > 4 or m in ("May", "June", "July")]
    abbr = [m for m in lx.months if m not in full]
    mon_full = rf"(?:{_alt(full)})(?![a-z])"
    mon = rf"(?:{_alt(full)}|(?:{_alt(abbr)})\.?)(?![a-z])"
    wd = rf"(?:{_alt(lx.weekdays)})(?![a-z])"
    num_words = _alt(set(lx.numbers) | lx.vague)
    num = rf"(?:\d+(?:\.\d+)?|(?i:{num_words})(?:-(?i:{num_words}))?)"
    units = rf"(?i:{_alt(lx.units)}|centuries)"
    season = rf"(?i:{_alt(lx.seasons)})"
    ordinal = rf"(?i:{_alt(lx.ordinals)})"
    edge_words = r"(?i:beginning|start|end|middle|close|rest|first half|second half)"
    edge = rf"(?:(?i:the){_S})?{edge_words}{_S}(?i:of){_S}"
    mod = rf"(?P<mod>(?i:early|mid|late){_S0}-?{_S0}|{edge})"
    rel_year = rf"(?P<rel>(?i:last|this|next)){_S}(?i:year)"
    sep = rf"(?:{_DASH}|{_S}(?i:to|through|until|till){_S})"
    year_tail = rf"(?:,?{_S}(?P<y>{_YEAR}))"
    of = rf"(?:(?i:of){_S})"
    part = r"(?i:morning|afternoon|evening|night)"
    early = rf"(?i:early|mid|late){_S0}-?{_S0}"
    streak = rf"(?i:a|the){_S}(?:{ordinal}|\d+(?:st|nd|rd|th)){_S}(?i:consecutive|straight|successive)"
    hedge = r"(?i:more than|less than|fewer than|over|under|nearly|almost|about|around|roughly|at least|at most"
    hedge += r"|up to|some|just|only|another|a further)"
    table = [
        # "Saturday (September 16)", "Monday, July 24, 2023": the explicit date gives the value
        (
            "wd_date",
            rf"(?P<wd>{wd})(?:{_S}{part})?,?{_S0}(?P<open>\()?{_S0}"
            rf"(?:(?P<mon>{mon}){_S}(?P<d>{_DAY})|(?P<d2>{_DAY}){_S}(?P<mon2>{mon})){year_tail}?{_S0}(?(open)\))"
            rf"(?!{_DASH}\d)",
        ),
        ("range_md", rf"(?P<mon>{mon}){_S}(?P<d1>{_DAY}){sep}(?:(?P<mon2>{mon}){_S})?(?P<d2>{_DAY}){year_tail}?"),
        ("range_dm", rf"(?P<d1>{_DAY})(?:{_S}(?P<mon1>{mon}))?{sep}(?P<d2>{_DAY}){_S}{of}?(?P<mon>{mon}){year_tail}?"),
        ("iso", rf"(?<![\d/.-])(?P<y>{_YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"),
        ("numeric", rf"(?<![\d/.-])(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?P<y>{_YEAR})"),
        ("md", rf"(?:{mod})?(?P<mon>{mon}){_S}(?P<d>{_DAY}){year_tail}?"),
        ("dm", rf"(?:(?i:the){_S})?(?P<d>{_DAY}){_S}{of}?(?P<mon>{mon}){year_tail}?"),
        ("my", rf"(?:{mod})?(?P<mon>{mon}),?{_S}{of}?(?P<y>{_YEAR})"),
        (
            "month",
            rf"(?:{mod}|(?P<dir>(?i:last|next|this|coming|past)){_S})?(?P<mon>{mon_full})(?:{_S}{of}?{rel_year})?",
        ),
        (
            "year_range",
            rf"(?:(?P<between>(?i:between){_S})|(?i:from){_S})?(?P<y1>{_YEAR})"
            rf"(?:{_DASH}|{_S}(?i:to|through){_S}|(?(between){_S}(?i:and){_S}|(?!)))(?P<y2>\d{{4}}|\d{{2}})(?![\d%])",
        ),
        (
            "decade",
            rf"(?:(?i:the){_S})?(?:(?P<mod>{early}))?(?:(?P<dec>(?:1\d|20)\d)0|'(?P<dec2>\d)0)'?s(?![a-z])",
        ),
        (
            "season",
            rf"(?:(?P<mod>{early}))?(?:(?P<dir>(?i:this|last|next|the|coming|past)){_S})?(?P<season>{season})"
            rf"(?![a-z])(?:(?:{_S}(?i:of))?{_S}(?:(?P<y>{_YEAR})|{rel_year}))?",
        ),
        (
            "quarter",
            rf"(?:(?i:the){_S})?(?P<q>{ordinal})[- ](?i:quarter)"
            rf"(?:{_S}{of}?(?:(?P<y>{_YEAR})|(?P<rel>(?i:this|last|next|the)){_S}(?i:year)))?",
        ),
        ("quarter_q", rf"\bQ(?P<q>[1-4]){_S0}(?P<y>{_YEAR})"),
        (
            "weekday",
            rf"(?:(?P<dir>(?i:last|next|this|coming|past|early|late)){_S})?(?P<wd>{wd})(?:{_S}(?P<part>{part}))?",
        ),
        (
            "relday",
            rf"\b(?:(?P<mod>(?i:earlier|later|early|late)){_S})?(?P<w>(?i:today|tonight|yesterday|tomorrow))"
            rf"(?:{_S}(?P<part>{part}))?(?![a-z])",
        ),
        ("relday2", rf"\b(?P<w>(?i:this|last)){_S}(?P<part>{part})\b"),
        ("twodays", r"\b(?i:the day (?P<w>before yesterday|after tomorrow))\b"),
        ("now", r"\b(?i:(?:right[ \t]+)?now)\b"),
        (
            "unit_rel",
            rf"(?:(?P<mod>(?i:earlier|later|early|late|mid)){_S0}-?{_S0}|{edge})?"
            rf"(?P<dir>(?i:this|last|next|the current|the coming|current|coming)){_S}"
            rf"(?P<unit>(?i:week|weekend|month|year))(?![a-z])",
        ),
        ("unit_edge", rf"{edge}(?P<dir>(?i:the)){_S}(?P<unit>(?i:week|month|year))(?![a-z])"),
        (
            "anaphor",
            rf"(?:(?P<pre>(?i:the same|that|the following|the next|the previous|the preceding|the trading|the)){_S}"
            rf"|(?P<streak>{streak}(?:{_S}(?i:trading))?{_S})"
            rf"|(?P<edge>(?i:the){_S}(?i:start|beginning|end|close|rest|middle){_S}(?i:of){_S}(?i:the){_S})"
            rf"|(?P<in>(?i:late|early|earlier|later){_S}(?i:in){_S}(?i:the){_S}))"
            rf"(?i:(?P<unit>day|week|month|year))(?![a-z])",
        ),
        (
            "ago",
            rf"(?:{hedge}{_S})?(?P<n>{num}){_S}(?P<unit>{units})(?i:s)?{_S}"
            rf"(?P<dir>(?i:ago|back|from now|earlier|later|before|after))(?![a-z])",
        ),
        (
            "duration_the",
            rf"(?:(?i:the){_S})?(?P<mod>(?i:past|last|next|previous|coming|following|remaining|recent|first|final))"
            rf"{_S}(?:(?P<n>{num}){_S})?(?P<unit>{units})(?P<pl>(?i:s))?(?![a-z])",
        ),
        (
            "duration",
            rf"(?:{hedge}{_S})?(?P<n>{num})(?:[- ]|{_S})(?P<unit>{units})(?i:s)?(?:-(?i:long|old))?(?![a-z])",
        ),
        ("set", rf"(?i:every|each|per){_S}(?:(?P<n>{num}){_S})?(?P<unit>{units})(?i:s)?(?![a-z])"),
        ("year", rf"(?:{mod})?(?:(?i:fiscal|the year){_S})?(?P<y>{_YEAR})"),
    ]
    return tuple((name, re.compile(rx)) for name, rx in table)


# --------------------------------------------------------------------------- tense


def _past_form(verb: Token) -> bool:
    return verb.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children)


def _looks_ahead(verb: Token, lx: _Lexicon) -> bool:
    """A present "is expected", "plans", "is scheduled": what it governs lies ahead."""
    if verb.lemma_.lower() not in lx.future_lemmas or _past_form(verb):
        return False
    if verb.tag_ in ("VBZ", "VBP", "JJ"):
        return True
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return verb.tag_ == "VBN" and bool(aux & {"is", "are", "'s", "'re", "am", "be", "being"})


def _tense_of_verb(verb: Token, lx: _Lexicon, depth: int = 0) -> Tense:
    """Past, future or undecided, from a verb's tag and auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & lx.future_aux or (verb.lower_ in lx.future_aux and verb.tag_ == "MD"):
        return FUTURE
    if any(a.tag_ == "MD" for a in auxes):
        return None  # would, could, may: not a tense
    infinitive = "to" in words or any(c.dep_ == "mark" and c.lower_ == "to" for c in verb.children)
    if infinitive and depth < 3:
        head = verb.head
        if head is verb or head.pos_ not in ("VERB", "AUX", "ADJ"):
            return FUTURE  # "an event to be held on October 12"
        if head.lemma_.lower() in lx.future_lemmas:
            # "is set to begin on Wednesday"; "was expected to testify Thursday" may be either side
            return None if _past_form(head) else FUTURE
        return _tense_of_verb(head, lx, depth + 1)
    if _looks_ahead(verb, lx):
        return FUTURE  # "is scheduled for Friday"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        head = verb.head
        if verb.dep_ == "advcl" and head is not verb and depth < 3:
            head_aux = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass") and c.tag_ == "MD"}
            if head_aux & lx.future_aux:
                return FUTURE  # "will be infused when they opened on Friday"
            if head_aux:
                return None  # "would be infused when they opened on Friday": future in the past
        return PAST
    if verb.tag_ == "VBN" and (not auxes or words & {"has", "have", "had", "'ve", "'s"}):
        return PAST  # perfect, or a reduced relative ("figures released Thursday")
    return None


def first_day(value: str | None) -> dt.date | None:
    """The first day a calendar TIMEX value can mean (``2023-07`` → 1 July 2023); None for no value,
    a yearless one, a week or a range this reading does not know."""
    if not value or not value[:4].isdigit():
        return None
    parts = value.split("/", 1)[0].split("-")
    try:
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2][:2]) if len(parts) > 2 else 1
        return dt.date(int(parts[0]), month, day)
    except ValueError:
        return None


def verb_tense(verb: Token) -> Tense:
    """Past, future or undecided for a verb, by its tag and auxiliaries (the rule dates are resolved by)."""
    return _tense_of_verb(verb, load_lexicon())


def _tense(span: Span | None, lx: _Lexicon) -> Tense:
    """Tense of the verb governing a date expression, with the sentence's cues as fallback."""
    if span is None or not len(span):
        return None
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in lx.past_preps:
        return PAST
    if before is not None and before.lower_ in lx.open_preps:
        return None  # "closed until Friday": a state that runs up to the date, either side
    tok: Token = span.root
    if tok.dep_ in ("compound", "amod", "nmod", "poss") and tok.head.pos_ in ("NOUN", "PROPN"):
        return None  # "August unemployment data", "a Wednesday media event": no verb dates it
    verb: Token | None = None
    for _ in range(8):
        inside = span.start <= tok.i < span.end
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass") and not inside:
            verb = tok
            break
        if tok.head is tok:
            break
        tok = tok.head
    tense = _tense_of_verb(verb, lx) if verb is not None else None
    if tense is None:
        sent = span.sent
        words = {t.lower_ for t in sent}
        if words & lx.future_aux or any(_looks_ahead(t, lx) for t in sent):
            return FUTURE
    return tense


# --------------------------------------------------------------------------- calendar helpers


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _day(s: str) -> int:
    return int(re.sub(r"\D", "", s))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> dt.date:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _pick(candidates: list[tuple[dt.date, dt.date, str]], pub: dt.date, tense: Tense) -> str | None:
    """The candidate period nearest the report that the tense allows (on or before it for the
    past, on or after it for the future); all candidates when the tense rules out every one."""
    allowed = candidates
    if tense == PAST:
        allowed = [c for c in candidates if c[0] <= pub] or candidates
    elif tense == FUTURE:
        allowed = [c for c in candidates if c[1] >= pub] or candidates

    def distance(c: tuple[dt.date, dt.date, str]) -> tuple[int, int]:
        start, end, _ = c
        gap = 0 if start <= pub <= end else min(abs((start - pub).days), abs((end - pub).days))
        return gap, 0 if end <= pub else 1  # on a tie, the earlier one (news looks back)

    return min(allowed, key=distance)[2] if allowed else None


def _years_around(pub: dt.date, make: Callable[[int], tuple[dt.date, dt.date, str] | None]) -> list:
    return [c for y in (pub.year - 1, pub.year, pub.year + 1) if (c := make(y)) is not None]


def _shift_months(d: dt.date, months: int) -> tuple[int, int]:
    idx = d.year * 12 + d.month - 1 + months
    return idx // 12, idx % 12 + 1


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _number(text: str, lx: _Lexicon) -> int | None:
    """An exact quantity ("two", "12", "twenty-five"), None for a vague one ("several")."""
    t = text.lower().strip()
    if re.fullmatch(r"\d+", t):
        return int(t)
    if t in lx.numbers:
        return lx.numbers[t]
    parts = t.split("-")
    if len(parts) == 2 and all(p in lx.numbers for p in parts):
        tens, units = lx.numbers[parts[0]], lx.numbers[parts[1]]
        if tens >= 20 and tens % 10 == 0 and units < 10:
            return tens + units  # "twenty-five"; "five-six" is a range, not a number
    return None


def _unit(text: str, lx: _Lexicon) -> tuple[str, bool, int]:
    t = text.lower()
    t = "century" if t.startswith("centur") else t.rstrip("s") if t not in lx.units else t
    return lx.units.get(t, ("D", False, 1))


def _duration_value(n_text: str | None, unit_text: str, lx: _Lexicon) -> str:
    """TIMEX3 duration: P2Y, P10Y for a decade, PT3H, PXM for "several months"."""
    letter, is_time, mult = _unit(unit_text, lx)
    n = 1 if n_text is None else _number(n_text, lx)
    if n is None:
        qty = "X"
    else:
        value = n * mult
        qty = str(int(value)) if float(value).is_integer() else str(value)
    if letter == "WE":
        letter = "D"
        qty = "X" if n is None else str(int(n) * 2)
    return f"PT{qty}{letter}" if is_time else f"P{qty}{letter}"


# --------------------------------------------------------------------------- normalisation


@dataclass(slots=True)
class _Found:
    start: int
    end: int
    value: str | None
    kind: Literal["DATE", "DURATION", "SET", "TIME"] = "DATE"
    relative: bool = False


@dataclass(slots=True)
class _Context:
    pub: dt.date | None
    tense: Tense
    last_day: str | None  # the latest day-valued date before this one ("the day" refers to it)
    lx: _Lexicon


def _month_num(name: str, lx: _Lexicon) -> int:
    return lx.months[name.rstrip(".")]


def _relative(ctx: _Context, compute: Callable[[dt.date], str | None]) -> tuple[str | None, str, bool]:
    """A date that depends on the report's date: None in an undated document."""
    return (compute(ctx.pub) if ctx.pub else None), "DATE", True


def _weekday_value(wd: int, direction: str | None, pub: dt.date, tense: Tense) -> str:
    back = (pub.weekday() - wd) % 7
    fwd = (wd - pub.weekday()) % 7
    if direction == "last" or direction == "past":
        k = -(back or 7)
    elif direction in ("next", "coming"):
        k = fwd or 7
    elif tense == PAST:
        k = -back
    elif tense == FUTURE:
        k = fwd
    else:
        k = -back if back <= fwd else fwd
    if abs(k) > WEEKDAY_REACH + 1:
        k = -back if tense != FUTURE else fwd
    return (pub + dt.timedelta(days=k)).isoformat()


def _md_candidates(m: int, d: int) -> Callable[[int], tuple[dt.date, dt.date, str] | None]:
    def make(y: int) -> tuple[dt.date, dt.date, str] | None:
        day = _safe_date(y, m, d)
        return (day, day, day.isoformat()) if day else None

    return make


def _yearless(m: int, d: int) -> tuple[str | None, str, bool]:
    """A month-day in an undated document: TIMEX3 ``XXXX-12-06``, the year left unknown.

    Not relative: nothing the report's date could add is assumed, and the day and month are the
    text's own (a story can still fill the year in from a report that gives it)."""
    return (f"XXXX-{m:02d}-{d:02d}" if _safe_date(2000, m, d) else None), "DATE", False


def _normalise(name: str, g: dict[str, Any], ctx: _Context) -> tuple[str | None, str, bool] | None:
    """(value, kind, relative) of one matched expression, or None to drop the match."""
    lx, pub, tense = ctx.lx, ctx.pub, ctx.tense
    if name == "wd_date":
        mon, d = (g["mon"], g["d"]) if g["mon"] else (g["mon2"], g["d2"])
        m, day, wd = _month_num(mon, lx), _day(d), lx.weekdays[g["wd"]]
        if g["y"]:
            date = _safe_date(int(g["y"]), m, day)
            return (date.isoformat() if date else None), "DATE", False
        if pub is None:
            return _yearless(m, day)
        cands = _years_around(pub, _md_candidates(m, day))
        on_weekday = [c for c in cands if c[0].weekday() == wd]
        return _pick(on_weekday or cands, pub, None if on_weekday else tense), "DATE", True
    if name in ("range_md", "range_dm"):
        m2 = _month_num(g["mon"], lx)
        m1 = _month_num(g.get("mon1") or g["mon"], lx) if name == "range_dm" else m2
        if name == "range_md":
            m1, m2 = m2, _month_num(g["mon2"], lx) if g["mon2"] else m2
        d1, d2 = _day(g["d1"]), _day(g["d2"])

        def make(y: int) -> tuple[dt.date, dt.date, str] | None:
            a = _safe_date(y, m1, d1)
            b = _safe_date(y + (m2 < m1), m2, d2)
            if a is None or b is None or b <= a:
                return None
            return a, b, f"{a.isoformat()}/{b.isoformat()}"

        if g["y"]:
            y = int(g["y"]) - (m2 < m1)
            c = make(y)
            return (c[2] if c else None), "DATE", False
        if pub is None:
            return (None, "DATE", True) if make(2000) or make(2001) else None
        cands = _years_around(pub, make)
        return (_pick(cands, pub, tense) if cands else None), "DATE", True
    if name == "iso":
        date = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (date.isoformat(), "DATE", False) if date else None
    if name == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
        if a > 12 >= b:
            date = _safe_date(y, b, a)
        elif b > 12 >= a:
            date = _safe_date(y, a, b)
        else:
            date = None  # 03/04/2023: day and month cannot be told apart
        return date.isoformat() if date else None, "DATE", False
    if name in ("md", "dm"):
        m, day = _month_num(g["mon"], lx), _day(g["d"])
        if g.get("y"):
            date = _safe_date(int(g["y"]), m, day)
            return (date.isoformat(), "DATE", False) if date else None
        if _safe_date(2000, m, day) is None:
            return None
        if pub is None:
            return _yearless(m, day)
        return _pick(_years_around(pub, _md_candidates(m, day)), pub, tense), "DATE", True
    if name == "my":
        return f"{int(g['y']):04d}-{_month_num(g['mon'], lx):02d}", "DATE", False
    if name == "month":
        m = _month_num(g["mon"], lx)
        direction = (g.get("dir") or "").lower()
        if g.get("rel"):
            shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
            return _relative(ctx, lambda p: f"{p.year + shift:04d}-{m:02d}")
        if pub is None:  # a bare month in an undated document is the text's own, its year unknown (XXXX-07)
            return (None, "DATE", True) if direction else (f"XXXX-{m:02d}", "DATE", False)

        def make(y: int) -> tuple[dt.date, dt.date, str]:
            return dt.date(y, m, 1), _month_end(y, m), f"{y:04d}-{m:02d}"

        cands = _years_around(pub, make)
        if direction in ("last", "past"):
            cands = [c for c in cands if c[1] < pub.replace(day=1)] or cands
            return _pick(cands, pub, PAST), "DATE", True
        if direction in ("next", "coming"):
            cands = [c for c in cands if c[0] > pub] or cands
            return _pick(cands, pub, FUTURE), "DATE", True
        return _pick(cands, pub, None if direction == "this" else tense), "DATE", True
    if name == "year_range":
        y1 = int(g["y1"])
        y2 = int(g["y2"]) if len(g["y2"]) == 4 else (y1 // 100) * 100 + int(g["y2"])
        if not y1 < y2 <= y1 + 100:
            return None  # "2023-07" is a month, "2011-10" perhaps a fiscal year: not a range
        return f"{y1}/{y2}", "DATE", False
    if name == "decade":
        if g["dec"]:
            return f"{g['dec']}X", "DATE", False
        digit = int(g["dec2"])
        century = 19 if pub is None or digit * 10 > pub.year % 100 else 20
        return f"{century}{digit}X", "DATE", False
    if name == "season":
        code, start_month = lx.seasons[g["season"].lower()]
        if g["y"]:
            return f"{int(g['y']):04d}-{code}", "DATE", False
        direction = (g.get("dir") or "").lower()
        if g.get("rel"):
            shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
            return _relative(ctx, lambda p: f"{p.year + shift:04d}-{code}")
        if pub is None:
            return None, "DATE", True

        def make_season(y: int) -> tuple[dt.date, dt.date, str]:
            start = dt.date(y, start_month, 1)
            ey, em = _shift_months(start, 2)
            return start, _month_end(ey, em), f"{y:04d}-{code}"

        cands = _years_around(pub, make_season)
        if direction in ("last", "past"):
            return _pick([c for c in cands if c[1] < pub] or cands, pub, PAST), "DATE", True
        if direction in ("next", "coming"):
            return _pick([c for c in cands if c[0] > pub] or cands, pub, FUTURE), "DATE", True
        return _pick(cands, pub, None if direction == "this" else tense), "DATE", True
    if name in ("quarter", "quarter_q"):
        q = lx.ordinals.get(g["q"].lower(), None) if name == "quarter" else int(g["q"])
        if q is None or not 1 <= q <= 4:
            return None
        if g.get("y"):
            return f"{int(g['y']):04d}-Q{q}", "DATE", False
        rel = (g.get("rel") or "").lower()
        if rel in ("this", "last", "next"):
            shift = {"last": -1, "this": 0, "next": 1}[rel]
            return _relative(ctx, lambda p: f"{p.year + shift:04d}-Q{q}")
        return None, "DATE", True  # "the third quarter": whose fiscal year cannot be told
    if name == "weekday":
        wd = lx.weekdays[g["wd"]]
        direction = (g.get("dir") or "").lower() or None
        return _relative(ctx, lambda p: _weekday_value(wd, direction, p, tense))
    if name in ("relday", "relday2", "twodays"):
        w = g["w"].lower()
        part = (g.get("part") or "").lower()
        shift = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "tomorrow": 1}.get(w, 0)
        if w == "last":
            shift = -1 if part == "night" else 0
        if w == "before yesterday":
            shift = -2
        elif w == "after tomorrow":
            shift = 2
        return _relative(ctx, lambda p: (p + dt.timedelta(days=shift)).isoformat())
    if name == "now":
        return _relative(ctx, lambda p: p.isoformat())
    if name in ("unit_rel", "unit_edge"):
        unit = g["unit"].lower()
        direction = g["dir"].lower().replace("the ", "")
        shift = {"last": -1, "next": 1}.get(direction, 0)

        def unit_value(p: dt.date) -> str:
            if unit in ("week", "weekend"):
                value = _week(p + dt.timedelta(weeks=shift))
                return value + "-WE" if unit == "weekend" else value
            if unit == "month":
                y, m = _shift_months(p, shift)
                return f"{y:04d}-{m:02d}"
            return f"{p.year + shift:04d}"

        return _relative(ctx, unit_value)
    if name == "anaphor":
        unit = g["unit"].lower()
        pre = (g.get("pre") or "").lower()
        if unit != "day":
            if pre in ("the", "that", "the trading") or not pre:
                return None  # "the year": too vague to be a date
            return None, "DATE", True  # "the following week": anchored to a date we do not track
        shift = {"the following": 1, "the next": 1, "the previous": -1, "the preceding": -1}.get(pre, 0)
        anchor = ctx.last_day
        if anchor is None and shift == 0 and pub is not None:
            anchor = pub.isoformat()
        if anchor is None:
            return None, "DATE", True
        return (dt.date.fromisoformat(anchor) + dt.timedelta(days=shift)).isoformat(), "DATE", True
    if name == "ago":
        n = _number(g["n"], lx)
        direction = g["dir"].lower()
        if direction in ("earlier", "later", "before", "after"):
            return None, "DATE", True  # "two days later": anchored to another event
        if n is None:
            return None, "DATE", True
        sign = 1 if direction in ("from now",) else -1
        letter, is_time, mult = _unit(g["unit"], lx)
        if is_time:
            return None, "TIME", True

        def ago(p: dt.date) -> str | None:
            k = sign * n * mult
            if letter == "D":
                return (p + dt.timedelta(days=k)).isoformat()
            if letter in ("W", "WE"):
                return (p + dt.timedelta(weeks=k)).isoformat()
            if letter == "M":
                y, m = _shift_months(p, k)
                return f"{y:04d}-{m:02d}"
            return f"{p.year + k:04d}"

        return _relative(ctx, ago)
    if name in ("duration_the", "duration"):
        n = g.get("n") or ("several" if g.get("pl") else None)  # "recent months": how many is vague
        return _duration_value(n, g["unit"], lx), "DURATION", False
    if name == "set":
        return _duration_value(g.get("n"), g["unit"], lx), "SET", False
    if name == "year":
        return f"{int(g['y']):04d}", "DATE", False
    return None


# --------------------------------------------------------------------------- candidates


def _span(sdoc: Doc, start: int, end: int) -> Span | None:
    return sdoc.char_span(start, end, alignment_mode="expand")


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)[^A-Za-z\n]{0,2}$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _date_ent_chars(sdoc: Doc) -> set[int]:
    return {i for e in sdoc.ents if e.label_ == "DATE" for i in range(e.start_char, e.end_char)}


def _keep(
    name: str, g: dict[str, Any], start: int, end: int, sdoc: Doc, text: str, date_chars: set[int], lx: _Lexicon
) -> bool:
    """Drop matches that only look like dates: a count "1500 shells", "the fall in prices"."""
    in_date_ent = any(i in date_chars for i in range(start, end))
    before = _word_before(text, start)
    if name == "year":
        if g.get("mod"):
            return True
        span = _span(sdoc, start, end)
        if span is not None and any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL", "TIME") for t in span):
            return in_date_ent
        if in_date_ent:
            return True
        if span is not None and span.root.dep_ == "nummod":
            return False  # "in 1500 cities"
        return before in lx.cues
    if name == "month":
        if g.get("mod") or g.get("dir") or g.get("rel"):
            return True
        if g["mon"] in lx.ambiguous_months:
            return before in lx.cues  # "March participants", "May I": a cue word makes it a month
        return True
    if name == "season":
        if g.get("y") or g.get("rel") or g.get("mod"):
            return True
        direction = (g.get("dir") or "").lower()
        if g["season"].lower() == "fall" and not direction:
            return False
        if re.match(r"[ \t]+of\b", text[end : end + 4]):
            return False  # "the fall of the junta", "the spring of discontent"
        span = _span(sdoc, start, end)
        if span is not None:
            root = span.root
            if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ in ("NOUN", "PROPN"):
                return False  # "summer camp", "the winter Olympics"
            if g["season"].lower() == "fall" and root.pos_ == "VERB":
                return False
        return bool(direction) or before in lx.cues or in_date_ent
    if name == "weekday":
        if g.get("dir") or not text[start - 1 : start].isspace():
            return True
        span = _span(sdoc, start, end)
        # "Black Monday", "Easter Sunday": a named day, not this week's
        return span is None or not any(c.dep_ == "compound" and c.i < span.start for c in span.root.children)
    if name in ("md", "dm") and not g.get("y"):
        span = _span(sdoc, start, end)
        if span is not None and any(t.like_num and t.ent_type_ not in ("", "DATE", "TIME") for t in span):
            return False  # "Windows 10 November Update": the number belongs to a name
    if name == "now":
        if text[end : end + 1] == "-":
            return False  # "his now-deceased father"
        span = _span(sdoc, start, end)
        head = span.root.head if span is not None else None
        imperative = head is not None and head.tag_ == "VB" and not any(c.dep_ == "nsubj" for c in head.children)
        return not (imperative and not any(c.dep_ == "aux" for c in head.children))  # "Subscribe now"
    if name == "anaphor":
        if (g.get("pre") or "").lower() == "the" and not g.get("edge") and not g.get("in"):
            return in_date_ent  # bare "the day" only where the parser reads it as a date
        return True
    # "one day he ..." is not a measured duration unless the parser says so
    return not (name == "duration" and (g.get("n") or "").lower() in ("a", "an", "one") and not in_date_ent)


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern[str]:
    """Words every date expression contains; the patterns run only on the text around them."""
    lx = load_lexicon()
    words = [*lx.months, *lx.weekdays]
    lower = [*lx.units, *lx.seasons, "centuries", "today", "tonight", "yesterday", "tomorrow", "now"]
    lower += ["morning", "afternoon", "evening", "night"]
    return re.compile(rf"\b(?:{_alt(words)})|\b(?i:{_alt(lower)})|(?<!\d)\d{{4}}(?!\d)|'\d0s|\bQ[1-4]")


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of one line around the trigger words, merged where they overlap."""
    out: list[tuple[int, int]] = []
    for m in _trigger().finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        lo = max(line_start, m.start() - WINDOW_BEFORE)
        hi = min(len(text) if line_end < 0 else line_end, m.end() + WINDOW_AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _candidates(
    sdoc: Doc, text: str, lx: _Lexicon, rejected: list[tuple[int, int]]
) -> list[tuple[int, int, int, str, dict[str, Any]]]:
    """All pattern matches, then the longest non-overlapping ones (ties to the earlier pattern).

    Matches that only look like dates are added to ``rejected``, so the parser's DATE entities
    do not bring them back."""
    date_chars = _date_ent_chars(sdoc)
    found: list[tuple[int, int, int, str, dict[str, Any]]] = []
    seen: set[tuple[int, int, int]] = set()
    for pos, endpos in _windows(text):
        for rank, (name, rx) in enumerate(_patterns()):
            for m in rx.finditer(text, pos, endpos):
                start, end = m.span()
                while end > start and text[end - 1] in " \t,":
                    end -= 1
                if end <= start or (start, end, rank) in seen:
                    continue
                seen.add((start, end, rank))
                g = m.groupdict()
                if _keep(name, g, start, end, sdoc, text, date_chars, lx):
                    found.append((start, end, rank, name, g))
                else:
                    rejected.append((start, end))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
    taken: list[tuple[int, int, int, str, dict[str, Any]]] = []
    for f in found:
        if all(f[1] <= t[0] or t[1] <= f[0] for t in taken):
            taken.append(f)
    return sorted(taken, key=lambda f: f[0])


# --------------------------------------------------------------------------- dateparser fallback


@lru_cache(maxsize=4096)
def _dateparse(text: str, base: str | None, prefer: str) -> tuple[str, str] | None:
    """dateparser on one expression (cached): (ISO date, period) or None."""
    from dateparser.date import DateDataParser  # imported here: slow to import, rarely needed

    settings: dict[str, Any] = {"PREFER_DATES_FROM": prefer, "PREFER_DAY_OF_MONTH": "first"}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(base)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date().isoformat(), data.period or "day"


def _fallback(ent: Span, pub: dt.date | None, tense: Tense, lx: _Lexicon) -> _Found | None:
    """A DATE entity the patterns did not read: dateparser if it names a month or a year,
    a vague duration if it names a unit ("decades"), else nothing."""
    text = ent.text.strip()
    words = re.findall(r"[A-Za-z]+\.?", text)
    has_year = re.search(_YEAR, text) is not None
    names_month = any(w.rstrip(".") in lx.months for w in words)
    if (has_year or names_month) and "\n" not in text and len(words) <= 6:
        if pub is None and not has_year:
            return _Found(ent.start_char, ent.end_char, None, "DATE", True)
        prefer = {PAST: "past", FUTURE: "future"}.get(tense, "current_period")
        got = _dateparse(text, pub.isoformat() if pub else None, prefer)
        if got is None:
            return None
        iso, period = got
        value = {"year": iso[:4], "month": iso[:7], "week": _week(dt.date.fromisoformat(iso))}.get(period, iso)
        return _Found(ent.start_char, ent.end_char, value, "DATE", not has_year)
    lower = [w.lower() for w in words]
    at = next((i for i, w in enumerate(lower) if _unit_word(w, lx)), None)
    units = [w for w in lower if _unit_word(w, lx)]
    quantity = at is not None and (any(w in lx.vague or w in lx.numbers for w in lower[:at]) or lower[at].endswith("s"))
    if units and quantity and not re.search(r"\d", text):
        return _Found(ent.start_char, ent.end_char, _duration_value("several", units[-1], lx), "DURATION")
    return None  # "the week", "their best day": a date, but which one the text does not say


def _unit_word(word: str, lx: _Lexicon) -> bool:
    return word in lx.units or word.rstrip("s") in lx.units or word in ("centuries",)


# --------------------------------------------------------------------------- entry point


def find_timexes(sdoc: Doc, published: str | None) -> list[Timex]:
    """Date expressions in text order; relative ones get None in an undated document."""
    lx = load_lexicon()
    pub = _parse_published(published)
    text = view(sdoc).text
    results: list[_Found] = []
    last_day: str | None = None
    rejected: list[tuple[int, int]] = []
    for start, end, _rank, name, g in _candidates(sdoc, text, lx, rejected):
        span = _span(sdoc, start, end)
        needs_tense = name in ("wd_date", "range_md", "range_dm", "md", "dm", "month", "season", "weekday")
        tense = _tense(span, lx) if needs_tense and pub is not None else None
        got = _normalise(name, g, _Context(pub, tense, last_day, lx))
        if got is None:
            continue
        value, kind, relative = got
        results.append(_Found(start, end, value, kind, relative))  # type: ignore[arg-type]
        if kind == "DATE" and value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            last_day = value
    covered = [(f.start, f.end) for f in results] + rejected
    for ent in sdoc.ents:
        if ent.label_ != "DATE":
            continue
        if any(s < ent.end_char and ent.start_char < e for s, e in covered):
            continue
        tense = _tense(ent, lx) if pub is not None else None
        found = _fallback(ent, pub, tense, lx)
        if found is not None:
            results.append(found)
    results.sort(key=lambda f: f.start)
    return [Timex(f.start, f.end, text[f.start : f.end], f.value, f.kind, f.relative) for f in results]
