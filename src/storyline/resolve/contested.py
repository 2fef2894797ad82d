"""A claim by one actor linked to the denial of the same proposition by another.

A denial is linked to a claim in the same story or the same document when the denier is not the
claimant and either (a) the denier is the one the claim is about ("X accused Y ...; Y denied the
claim"), or (b) what is denied shares enough content words with what is claimed. A denial that
only points back ("denied the claim") goes to the nearest claim before it in its document.
"""

from __future__ import annotations

from storyline.model import Analysis, Contested, Event, ResolvedEvent
from storyline.resolve.stories import resolved_ids

PROPOSITION_OVERLAP = 0.34  # share of content words a denial needs with a claim (tuned on hand-made cases)
MAX_DISTANCE_CHARS = 1500  # a pointing-back denial looks this far back for its claim in the document


def _overlap(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / min(len(wa), len(wb))


def find_contested(events: list[ResolvedEvent], analyses: list[Analysis]) -> list[Contested]:
    """Pairs (claim, denial) of event ids, each with how sure the link is."""
    raw: dict[str, Event] = {}
    for a in analyses:
        for ev, eid in zip(a.events, resolved_ids(a.doc, a.events), strict=True):
            if ev.polarity:
                raw[eid] = ev
    claims = [e for e in events if e.id in raw and raw[e.id].polarity == "claim"]
    denials = [e for e in events if e.id in raw and raw[e.id].polarity == "denial"]
    out: list[Contested] = []
    for d in denials:
        rd = raw[d.id]
        best: tuple[float, str] | None = None
        for c in claims:
            if c.id == d.id or (c.doc != d.doc and (c.story is None or c.story != d.story)):
                continue
            rc = raw[c.id]
            if set(c.actors) & set(d.actors):
                continue  # one does not contest one's own claim
            score = _link(c, rc, d, rd)
            if score > 0 and (best is None or score > best[0]):
                best = (score, c.id)
        if best is not None:
            out.append(Contested(claim=best[1], denial=d.id, score=round(best[0], 3)))
    return out


def _link(c: ResolvedEvent, rc: Event, d: ResolvedEvent, rd: Event) -> float:
    same_doc = c.doc == d.doc
    before = (
        same_doc and rc.trigger_start < rd.trigger_start and rd.trigger_start - rc.trigger_start <= MAX_DISTANCE_CHARS
    )
    about_denier = bool(set(d.actors) & set(c.targets))
    overlap = _overlap(rc.proposition, rd.proposition)
    if rd.proposition is None:  # "denied the claim": points back
        if not before:
            return 0.0
        near = 1.0 - (rd.trigger_start - rc.trigger_start) / (MAX_DISTANCE_CHARS + 1)
        return 0.5 + 0.3 * about_denier + 0.2 * near
    if overlap >= PROPOSITION_OVERLAP:
        return 0.4 + 0.3 * overlap + 0.3 * about_denier
    if about_denier and before:
        return 0.4
    return 0.0
