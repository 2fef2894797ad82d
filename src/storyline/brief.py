"""The cited Markdown briefing: about a page, every line backed by the spans it rests on.

No generative model: each line is assembled from extracted facts (entities, stories, contested
claims, quotes) and quotes the evidence sentence verbatim, so the briefing cannot state what no
source said. A citation ``[n]`` resolves to a document and a character span in the References.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from storyline.resolve.timeline import split_timeline

KEY_ACTORS = 6  # entities listed under "Key actors"
MAX_STORIES = 14  # timeline lines, dated and undated together, most-sourced first when cut
MAX_QUOTES = 5
EXCERPT_CHARS = 220

VERBS = {
    "AGREE": "agreement",
    "CONSULT": "talks / visit",
    "SUPPORT": "support",
    "CONCEDE": "concession",
    "COOPERATE": "cooperation",
    "AID": "aid",
    "RETREAT": "withdrawal",
    "REQUEST": "request",
    "ACCUSE": "accusation",
    "REJECT": "rejection / denial",
    "THREATEN": "threat",
    "PROTEST": "protest",
    "SANCTION": "sanctions",
    "MOBILIZE": "mobilisation",
    "COERCE": "coercion",
    "ASSAULT": "attack",
}


class Citations:
    """Numbered references to (document, start, end); the same span gets the same number."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.spans: list[tuple[str, int, int]] = []

    def cite(self, doc: str, start: int, end: int) -> str:
        key = (doc, start, end)
        if key not in self.spans:
            self.spans.append(key)
        return f"[{self.spans.index(key) + 1}]"

    def excerpt(self, doc: str, start: int, end: int) -> str:
        text = " ".join(self.documents[doc]["text"][start:end].split())
        return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"

    def references(self) -> list[str]:
        lines = []
        for i, (doc, start, end) in enumerate(self.spans, 1):
            d = self.documents[doc]
            name = PurePath(d["source"]).name
            lines.append(f"[{i}]: {name} ({doc}), chars {start}–{end}: “{self.excerpt(doc, start, end)}”  ")
        return lines


def render_brief(dossier: dict[str, Any]) -> str:
    """The briefing of a dossier, as Markdown."""
    documents = {d["id"]: d for d in dossier["documents"]}
    cites = Citations(documents)
    names = {e["id"]: e["name"] for e in dossier["entities"]}
    events = {e["id"]: e for e in dossier["events"]}
    out = ["# Briefing", ""]
    out += _corpus_line(dossier, cites)
    out += _key_actors(dossier, cites)
    out += _timeline(dossier, events, names, cites)
    out += _contested(dossier, events, names, cites)
    out += _quotes(dossier, names, cites)
    out += ["## References", "", *cites.references(), ""]
    return "\n".join(out)


def _corpus_line(dossier: dict[str, Any], cites: Citations) -> list[str]:
    docs = dossier["documents"]
    if not docs:
        return ["_The store holds no documents yet._", ""]
    dates = sorted(d["published"][:10] for d in docs if d.get("published"))
    span = f", published {dates[0]} to {dates[-1]}" if dates else ""
    undated = sum(1 for d in docs if not d.get("published"))
    refs = "".join(cites.cite(d["id"], 0, min(len(d["text"]), _first_sentence_end(d["text"]))) for d in docs)
    note = f" ({undated} undated)" if undated else ""
    return [f"_{len(docs)} documents{span}{note}; each is cited by its opening sentence:_ {refs}", ""]


def _first_sentence_end(text: str) -> int:
    for i, ch in enumerate(text):
        if ch in ".!?\n" and i > 20:
            return i + 1
    return len(text)


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence (or line) holding ``text[start:end]``, so a citation reads as evidence."""
    left = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in (". ", "? ", "! ")))
    left = 0 if left < 0 else left + (1 if text[left] == "\n" else 2)
    rights = [i for i in (text.find("\n", end), *(text.find(p, end) for p in (". ", "? ", "! "))) if i >= 0]
    right = min(rights) + 1 if rights else len(text)
    if right <= len(text) and text[right - 1] == "\n":
        right -= 1
    return left, right


def _key_actors(dossier: dict[str, Any], cites: Citations) -> list[str]:
    ranked = sorted(
        (e for e in dossier["entities"] if e["type"] in {"PERSON", "ORG", "GPE"} and e["mentions"]),
        key=lambda e: (-len({m["doc"] for m in e["mentions"]}), -len(e["mentions"]), e["name"]),
    )[:KEY_ACTORS]
    if not ranked:
        return []
    lines = ["## Key actors", ""]
    for e in ranked:
        docs = []
        for m in e["mentions"]:
            if m["doc"] not in {d for d, _, _ in docs}:
                text = cites.documents[m["doc"]]["text"]
                docs.append((m["doc"], *sentence_around(text, m["start"], m["end"])))
        refs = "".join(cites.cite(*x) for x in docs[:3])
        also = f"; also written {', '.join(e['aliases'][:3])}" if e["aliases"] else ""
        lines.append(f"- **{e['name']}** ({e['type']}), named in {len(docs)} document(s){also}. {refs}")
    return [*lines, ""]


def _story_line(story: dict[str, Any], events: dict[str, Any], names: dict[str, str], cites: Citations) -> str | None:
    evs = [events[e] for e in story["events"] if e in events]
    if not evs:
        return None
    lead = max(evs, key=lambda e: (e.get("mode") == "asserted", bool(e.get("date")), -len(e.get("text", ""))))
    who = [names.get(x, x) for x in dict.fromkeys(lead["actors"])]
    whom = [names.get(x, x) for x in dict.fromkeys(lead["targets"]) if x not in lead["actors"]]
    parties = ", ".join(who) + (f" → {', '.join(whom)}" if whom else "")
    date = story.get("date")
    when = f"**{date}**" if date else "**undated**"
    if story.get("date_conflict"):
        when += f" (reports disagree: {', '.join(sorted(story.get('dates', {})))})"
    refs = "".join(dict.fromkeys(cites.cite(e["doc"], e["start"], e["end"]) for e in evs[:4]))
    sources = story.get("sources") or sorted({e["doc"] for e in evs})
    backing = f"only one source, {sources[0]}" if len(sources) == 1 else f"{len(sources)} independent sources"
    mode = "" if lead.get("mode", "asserted") == "asserted" else f", {lead['mode']}"
    return (
        f"- {when} — {VERBS.get(lead['type'], lead['type'].lower())}{mode}: {parties or 'unnamed parties'}: "
        f"“{cites.excerpt(lead['doc'], lead['start'], lead['end'])}” ({backing}) {refs}"
    )


def _timeline(dossier: dict[str, Any], events: dict[str, Any], names: dict[str, str], cites: Citations) -> list[str]:
    dated, undated = split_timeline(dossier["stories"])
    keep = sorted(dated + undated, key=lambda s: -len(s.get("sources", [])))[:MAX_STORIES]
    kept = {s["id"] for s in keep}
    out: list[str] = []
    for title, stories in (("Timeline", dated), ("Undated events", undated)):
        lines = [line for s in stories if s["id"] in kept and (line := _story_line(s, events, names, cites))]
        if lines:
            out += [f"## {title}", "", *lines, ""]
    return out


def _contested(dossier: dict[str, Any], events: dict[str, Any], names: dict[str, str], cites: Citations) -> list[str]:
    lines = []
    for c in dossier.get("contested", []):
        claim, denial = events.get(c["claim"]), events.get(c["denial"])
        if not claim or not denial:
            continue
        who_claims = ", ".join(names.get(x, x) for x in claim["actors"]) or "one side"
        who_denies = ", ".join(names.get(x, x) for x in denial["actors"]) or "the other side"
        if (claim["doc"], claim["start"], claim["end"]) == (denial["doc"], denial["start"], denial["end"]):
            lines.append(
                f"- {who_claims} claims and {who_denies} denies, in one sentence: "
                f"“{cites.excerpt(claim['doc'], claim['start'], claim['end'])}” "
                f"{cites.cite(claim['doc'], claim['start'], claim['end'])}"
            )
            continue
        lines.append(
            f"- {who_claims}: “{cites.excerpt(claim['doc'], claim['start'], claim['end'])}” "
            f"{cites.cite(claim['doc'], claim['start'], claim['end'])} — contested by {who_denies}: "
            f"“{cites.excerpt(denial['doc'], denial['start'], denial['end'])}” "
            f"{cites.cite(denial['doc'], denial['start'], denial['end'])}"
        )
    return ["## Contested", "", *lines, ""] if lines else []


def _quotes(dossier: dict[str, Any], names: dict[str, str], cites: Citations) -> list[str]:
    said = [q for q in dossier.get("quotes", []) if q.get("speaker") and q.get("direct", True)]
    said.sort(key=lambda q: -len(q["text"]))
    seen: set[str] = set()
    lines = []
    for q in said:
        if q["speaker"] in seen:
            continue
        seen.add(q["speaker"])
        lines.append(
            f"- **{names.get(q['speaker'], q['speaker'])}**: “{cites.excerpt(q['doc'], q['start'], q['end'])}” "
            f"{cites.cite(q['doc'], q['start'], q['end'])}"
        )
        if len(lines) == MAX_QUOTES:
            break
    return ["## Who said what", "", *lines, ""] if lines else []
