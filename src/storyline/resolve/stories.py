"""Events resolved to entity ids, and events of different documents grouped into stories.

A story is one real-world event however many reports mention it. Candidate pairs are blocked
(same type and a shared participant, or same type and the same date when nobody is named), scored
on participants, date and place, and merged greedily best-first above a threshold, never joining
two clusters whose dates disagree. No fixed number of stories; every story keeps its weakest link.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from storyline.model import Analysis, Document, Entity, Event, ResolvedEvent, Story, content_id
from storyline.resolve.aliases import MentionKey
from storyline.resolve.sources import count_sources

STORY_THRESHOLD = 0.45  # score a pair needs to share a story. Tuned on the seeds (merges 1.000 from
#                         0.45 to 0.55) and the ECB+ events dev set (merges 0.143 at 0.55 and 0.5, 0.190 at
#                         0.45); 0.45 still keeps (Kim, Shoigu) apart from (Kim, Russia) when undated
CLUSTER_MEAN = 0.45  # mean score over all cross pairs two clusters need to merge: stops chaining through
#                      a one-participant event (0.35 let the seeds' Putin meeting swallow the state visit)
MAX_LINK_CHECK = 30  # members of each cluster compared for that mean
STORY_WINDOW_DAYS = 21  # an undated report joins only events dated (or reported) within this many days of
#                         its publication: the seeds' July and September visits stay apart
SAME_PEOPLE_ANYTIME = 2  # an undated event naming this many of a dated story's people joins it across any gap
#                         (ECB+ events dev: the trial reports' "Lopez's murder of Horton" joins the 2011 shooting;
#                         the seeds' (Kim, Russia) visits name one person and stay within the window)
DATE_TOLERANCE_DAYS = 1  # reports of one event may differ by a day (time zones, "last night")
MAX_BLOCK = 200  # a block larger than this is compared only between neighbours in date order
NEIGHBOURS = 20  # how many neighbours each event of a large block is compared with


def _entity(doc: str, i: int, analysis: Analysis, entity_of: dict[MentionKey, str]) -> str | None:
    """The entity id of a mention, following a short form to its full name when needed."""
    seen = set()
    while i is not None and i not in seen:
        seen.add(i)
        eid = entity_of.get((doc, i))
        if eid is not None:
            return eid
        if 0 <= i < len(analysis.mentions):
            i = analysis.mentions[i].antecedent  # type: ignore[assignment]
        else:
            return None
    return None


def event_id(doc: str, ev: Event) -> str:
    """A stable id: the same event in the same sentence keeps its id across runs."""
    return content_id("v", doc, str(ev.start), ev.type, ev.trigger)


def resolved_ids(doc: str, events: list[Event]) -> list[str]:
    """Ids of a document's events; a repeated (sentence, type, trigger) gets its trigger offset added."""
    ids, seen = [], set()
    for ev in events:
        i = event_id(doc, ev)
        if i in seen:
            i = content_id("v", doc, str(ev.start), ev.type, ev.trigger, str(ev.trigger_start))
        seen.add(i)
        ids.append(i)
    return ids


def resolve_events(
    documents: list[Document], analyses: list[Analysis], entity_of: dict[MentionKey, str]
) -> list[ResolvedEvent]:
    """Each document's events with entity ids in place of mention indices.

    A capital named as a participant stands for its government ("Kim accused Washington of ...",
    "Khartoum denied ..."): it is replaced by its country's entity when the corpus names that country.
    Not for an ASSAULT's target, where the city itself is what was hit. A state body named after its
    country ("Sudan Armed Forces", "Russian Defense Ministry") brings the country in beside itself.
    """
    from storyline.nlp.names import load_lexicon

    lex = load_lexicon()
    country_votes: dict[str, Counter[str]] = defaultdict(Counter)  # country name -> its entity ids
    capital_of: dict[str, str] = {}  # entity id of a capital -> the country's name
    state_of: dict[str, str] = {}  # entity id of a state body -> the country's name
    for a in analyses:
        for i, m in enumerate(a.mentions):
            e = entity_of.get((a.doc, i))
            if e is None or not (m.demonym or m.label in ("GPE", "LOC")):
                continue
            place = m.name if m.demonym else (lex.place(m.name) or (None,))[0]
            if place is not None:
                country_votes[place][e] += 1
            elif not m.demonym and m.antecedent is None and (c := lex.country_of_capital(m.name)):
                capital_of[e] = c
        for i, m in enumerate(a.mentions):  # "Sudan Armed Forces", "Russian Defense Ministry": the state acts
            e = entity_of.get((a.doc, i))
            words = m.name.split()
            if e is None or m.label != "ORG" or len(words) < 2 or not lex.is_("institution", words[-1]):
                continue
            for k in (3, 2, 1):
                owner = " ".join(words[:k])
                country = lex.demonym(owner) or (lex.place(owner) or (None,))[0] if k < len(words) else None
                if country is not None:
                    state_of[e] = country
                    break
    country_id = {c: max(sorted(v), key=v.__getitem__) for c, v in country_votes.items()}

    def metonymy(ids: list[str]) -> list[str]:
        out: list[str] = []
        for x in ids:
            x = country_id.get(capital_of.get(x, ""), x)
            for y in (x, country_id.get(state_of.get(x, ""))):
                if y is not None and y not in out:
                    out.append(y)
        return out

    texts = {d.id: d.text for d in documents}
    out = []
    for a in analyses:
        text = texts.get(a.doc, "")
        for ev, eid in zip(a.events, resolved_ids(a.doc, a.events), strict=True):
            actors = metonymy(_ids(a, ev.actors, entity_of))
            targets = _ids(a, ev.targets, entity_of)
            if ev.type != "ASSAULT":
                targets = metonymy(targets)
            targets = [x for x in targets if x not in actors]
            out.append(
                ResolvedEvent(
                    id=eid,
                    doc=a.doc,
                    type=ev.type,
                    start=ev.start,
                    end=ev.end,
                    trigger=ev.trigger,
                    actors=actors,
                    targets=targets,
                    location=_entity(a.doc, ev.location, a, entity_of) if ev.location is not None else None,
                    date=ev.date,
                    mode=ev.mode,
                    source=_entity(a.doc, ev.source, a, entity_of) if ev.source is not None else None,
                    text=text[ev.start : ev.end],
                )
            )
    return out


def _ids(a: Analysis, idx: list[int], entity_of: dict[MentionKey, str]) -> list[str]:
    out: list[str] = []
    for i in idx:
        e = _entity(a.doc, i, a, entity_of)
        if e is not None and e not in out:
            out.append(e)
    return out


# --------------------------------------------------------------------------- dates


def date_bounds(value: str | None) -> tuple[date, date] | None:
    """First and last day a TIMEX value covers (2023-07 → July 1..31), None when not a calendar date."""
    if not value:
        return None
    if "/" in value:
        a, b = (date_bounds(v) for v in value.split("/", 1))
        return (a[0], b[1]) if a and b else None
    parts = value.split("-")
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return date(y, 1, 1), date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
        d = date(y, m, int(parts[2][:2]))
        return d, d
    except (ValueError, IndexError):
        return None


YEARLESS = "XXXX-"  # a month-day an undated report gives without its year (TIMEX3 XXXX-12-06)


def yearless(value: str | None) -> bool:
    return value is not None and value.startswith(YEARLESS)


def _with_year(value: str, year: int) -> str:
    return f"{year:04d}-{value[len(YEARLESS) :]}"


def dates_agree(a: str | None, b: str | None) -> bool:
    """Two dates can be one event's: one holds the other, or they are within the tolerance.

    A yearless date (``XXXX-12-06``) agrees with any year: it is compared on its month and day,
    in the year(s) the other date covers (and the years beside them, for 31 December/1 January).
    """
    if a and b and (yearless(a) or yearless(b)):
        if yearless(a) and yearless(b):
            pairs = ((2004, 2004), (2003, 2004), (2004, 2003))  # a leap year, and across New Year
            return any(_agree(_with_year(a, ya), _with_year(b, yb)) for ya, yb in pairs)
        loose, fixed = (a, b) if yearless(a) else (b, a)
        bounds = date_bounds(fixed)
        if bounds is None:
            return True
        years = range(bounds[0].year - 1, bounds[1].year + 2)
        return any(_agree(_with_year(loose, y), fixed) for y in years)
    ba, bb = date_bounds(a), date_bounds(b)
    if ba is None or bb is None:
        return True
    gap = max(ba[0].toordinal() - bb[1].toordinal(), bb[0].toordinal() - ba[1].toordinal())
    return gap <= DATE_TOLERANCE_DAYS


def _agree(a: str, b: str | None) -> bool:
    """Calendar dates within the tolerance; False when one is no date (29 February of 2003)."""
    ba, bb = date_bounds(a), date_bounds(b)
    if ba is None or bb is None:
        return False
    return max(ba[0].toordinal() - bb[1].toordinal(), bb[0].toordinal() - ba[1].toordinal()) <= DATE_TOLERANCE_DAYS


def same_date(a: str | None, b: str | None) -> bool:
    """The very same date, a yearless one taking the other's year (``XXXX-12-06`` = ``2008-12-06``)."""
    if not a or not b:
        return False
    if a == b:
        return True
    if yearless(a) != yearless(b):
        loose, fixed = (a, b) if yearless(a) else (b, a)
        return fixed[:4].isdigit() and _with_year(loose, int(fixed[:4])) == fixed
    return False


# --------------------------------------------------------------------------- scoring


def _is_day(value: str) -> bool:
    """A value that fixes one day (2011-10-21, XXXX-10-21), not a year, month or week."""
    bounds = date_bounds(value if not yearless(value) else _with_year(value, 2004))
    return bounds is not None and bounds[0] == bounds[1]


def _participants(ev: ResolvedEvent) -> set[str]:
    return set(ev.actors) | set(ev.targets)


def pair_score(a: ResolvedEvent, b: ResolvedEvent) -> float:
    """How likely two events are one real-world event (0 = never).

    Participants weigh most (Jaccard of actors and targets); an exact shared date adds more than
    a merely compatible one, and an undated event still joins when its participants agree.
    """
    if a.type != b.type or (a.mode == "negated") != (b.mode == "negated"):
        return 0.0
    if not dates_agree(a.date, b.date):
        return 0.0
    pa, pb = _participants(a), _participants(b)
    if pa and pb:
        shared = pa & pb
        if not shared:
            return 0.0
        score = 0.6 * len(shared) / len(pa | pb)
        if set(a.actors) & set(b.actors) or set(a.targets) & set(b.targets):
            score += 0.1
    elif pa or pb:
        score = 0.25  # one names nobody: only an exact shared day can tie them
    else:
        score = 0.3
    if a.date and b.date:
        exact = same_date(a.date, b.date) and ((pa and pb) or _is_day(a.date))
        score += 0.3 if exact else 0.15  # naming nobody, a shared year or month says little ("in 2011")
    elif not pa or not pb:
        return 0.0  # nothing names the same participant or date
    else:
        score += 0.1
    if a.location and b.location:
        score += 0.05 if a.location == b.location else -0.1
    return round(score, 3)


def _blocks(events: list[ResolvedEvent]) -> Iterable[list[int]]:
    """Candidate groups: same type and a shared participant, or same type and the same date."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    # a yearless date's month is its block key; a dated event joins that block too when one exists
    loose = {(ev.type, ev.date[:7]) for ev in events if yearless(ev.date)}
    for i, ev in enumerate(events):
        for p in _participants(ev):
            blocks[(ev.type, "e:" + p)].append(i)
        if ev.date:
            blocks[(ev.type, "d:" + ev.date[:7])].append(i)
            key = (ev.type, YEARLESS + ev.date[5:7])
            if not yearless(ev.date) and len(ev.date) >= 7 and key in loose:
                blocks[(ev.type, "d:" + key[1])].append(i)
    return blocks.values()


def _pairs(events: list[ResolvedEvent]) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for block in _blocks(events):
        if len(block) <= MAX_BLOCK:
            pairs.update((a, b) for k, a in enumerate(block) for b in block[k + 1 :])
            continue
        ordered = sorted(block, key=lambda i: (events[i].date or "", i))
        for k, a in enumerate(ordered):
            pairs.update((min(a, b), max(a, b)) for b in ordered[k + 1 : k + 1 + NEIGHBOURS])
    return pairs


def _reported_before(ev: ResolvedEvent, other: ResolvedEvent, published: dict[str, str]) -> bool:
    """``other`` is dated after ``ev``'s report was published: ``ev`` cannot be a report of it."""
    pub = published.get(ev.doc)
    if ev.mode in ("planned", "hypothetical") or not pub or not other.date:
        return False
    bounds, pub_bounds = date_bounds(other.date), date_bounds(pub[:10])
    if bounds is None or pub_bounds is None:
        return False
    return bounds[0].toordinal() - pub_bounds[1].toordinal() > DATE_TOLERANCE_DAYS


def _when(ev: ResolvedEvent, published: dict[str, str]) -> tuple[date, date] | None:
    """The event's own date, else its report's publication date as a stand-in (for the window only)."""
    return date_bounds(ev.date) if ev.date else date_bounds((published.get(ev.doc) or "")[:10] or None)


def _compatible(
    a: ResolvedEvent, b: ResolvedEvent, published: dict[str, str], people: frozenset[str] = frozenset()
) -> bool:
    if not dates_agree(a.date, b.date) or _reported_before(a, b, published) or _reported_before(b, a, published):
        return False
    if (a.date and b.date) or _same_people(a, b, people):
        return True
    wa, wb = _when(a, published), _when(b, published)
    if wa is None or wb is None:
        return True
    gap = max(wa[0].toordinal() - wb[1].toordinal(), wb[0].toordinal() - wa[1].toordinal())
    return gap <= STORY_WINDOW_DAYS


def _same_people(a: ResolvedEvent, b: ResolvedEvent, people: frozenset[str]) -> bool:
    """Both events name the same two (or more) people: specific enough to join across any time gap
    ("Lopez's murder of Horton" in a report of the trial two years on is the 2011 shooting)."""
    return len(_participants(a) & _participants(b) & people) >= SAME_PEOPLE_ANYTIME


def cluster_events(
    events: list[ResolvedEvent],
    threshold: float = STORY_THRESHOLD,
    published: dict[str, str] | None = None,
    people: frozenset[str] = frozenset(),
) -> list[tuple[list[int], float]]:
    """Greedy best-first merging of scored pairs; clusters whose dates disagree never merge.

    ``published`` (document id → publication date) keeps an undated report out of a story dated
    after it was published, and out of one dated long before it (``STORY_WINDOW_DAYS``) unless it
    names two of the same ``people`` (entity ids of persons) as an event of that story.
    """
    published = published or {}
    scored = []
    for a, b in _pairs(events):
        if not _compatible(events[a], events[b], published, people):
            continue
        s = pair_score(events[a], events[b])
        if s >= threshold:
            scored.append((s, a, b))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    parent = list(range(len(events)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(events))}
    weakest: dict[int, float] = {i: 1.0 for i in range(len(events))}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for s, a, b in scored:
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        ca, cb = [events[x] for x in members[ra]], [events[y] for y in members[rb]]
        if not _clusters_compatible(ca, cb, published, people):
            continue
        ma, mb = members[ra][:MAX_LINK_CHECK], members[rb][:MAX_LINK_CHECK]
        if len(ma) * len(mb) > 1:
            mean = sum(pair_score(events[x], events[y]) for x in ma for y in mb) / (len(ma) * len(mb))
            if mean < CLUSTER_MEAN:
                continue
        parent[rb] = ra
        members[ra] += members.pop(rb)
        weakest[ra] = min(weakest[ra], weakest.pop(rb), s)
    return [(sorted(m), weakest[r]) for r, m in members.items()]


def _clusters_compatible(
    ca: list[ResolvedEvent], cb: list[ResolvedEvent], published: dict[str, str], people: frozenset[str]
) -> bool:
    """Every cross pair compatible, but the time window is waived for an undated event anchored in
    the merged story: it names two of the same people as another of its events, or its report is
    within the window of an anchored one ("Lopez's murder of Horton" in a trial report ties the
    trial's other reports to the 2011 shooting). Dates and publication order still hold."""
    both = ca + cb
    anchored = [x for x in both if not x.date and any(y is not x and _same_people(x, y, people) for y in both)]
    exempt = {id(x) for x in anchored}
    exempt |= {
        id(x)
        for x in both
        if not x.date and any(z is not x and _compatible(x, z, published, people) for z in anchored)
    }
    for x in ca:
        for y in cb:
            if _compatible(x, y, published, people):
                continue
            if (id(x) in exempt or id(y) in exempt) and dates_agree(x.date, y.date) and not (
                _reported_before(x, y, published) or _reported_before(y, x, published)
            ):
                continue  # only the window failed
            return False
    return True


def story_date(dates: list[str]) -> tuple[str | None, bool]:
    """The date the events agree on (most often given, the most precise on a tie) and whether any disagrees.

    A yearless ``XXXX-12-06`` counts as the fully specified ``2008-12-06`` when another event gives it."""
    if not dates:
        return None, False
    full = Counter(d for d in dates if not yearless(d))
    # a yearless date is the full date of another report that gives the same month and day
    dates = [next((f for f, _ in full.most_common() if same_date(d, f)), d) if yearless(d) else d for d in dates]
    counts = Counter(dates)
    best = max(counts, key=lambda d: (counts[d], len(d), d))
    conflict = any(not dates_agree(best, d) or (d != best and _precision(d) == _precision(best)) for d in counts)
    return best, conflict


def _precision(value: str) -> int:
    return 9 if "/" in value else len(value)


def build_stories(events: list[ResolvedEvent], documents: list[Document], entities: list[Entity]) -> list[Story]:
    """Stories over all events; each event's ``story`` is set in place."""
    if not events:
        return []
    names = {e.id: e.name for e in entities}
    stories = []
    published = {d.id: d.published for d in documents if d.published}
    people = frozenset(e.id for e in entities if e.type == "PERSON")
    for idx, weakest in cluster_events(events, published=published, people=people):
        evs = [events[i] for i in idx]
        ids = sorted(e.id for e in evs)
        sid = content_id("s", ids[0])
        dates = [e.date for e in evs if e.date]
        when, conflict = story_date(dates)
        types = Counter(e.type for e in evs)
        kind = max(types, key=lambda t: (types[t], t))
        people = Counter(p for e in evs for p in e.actors + e.targets)
        who = ", ".join(names.get(p, p) for p, _ in people.most_common(3))
        for e in evs:
            e.story = sid
        stories.append(
            Story(
                id=sid,
                date=when,
                events=[e.id for e in evs],
                type=kind,
                title=f"{kind} {who}".strip() + (f" ({when})" if when else ""),
                dates=dict(Counter(dates)),
                date_conflict=conflict,
                sources=count_sources(evs, documents, entities),
                documents=sorted({e.doc for e in evs}),
                score=round(weakest, 3),
            )
        )
    stories.sort(key=lambda s: (s.date or "9999", s.id))
    return stories
