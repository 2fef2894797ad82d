"""Gender from a person's name and role: the shipped given-name table and how "he"/"she" use it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from storyline.model import Mention
from storyline.nlp.events import find_events
from storyline.nlp.gender import DATA, fold, gender_cues, gender_of, given_names


def _table_rows() -> list[tuple[int, list[str]]]:
    lines = (DATA / "given_name_gender.tsv").read_text(encoding="utf-8").splitlines()
    return [(n, ln.split("\t")) for n, ln in enumerate(lines, 1) if ln.strip() and not ln.startswith("#")]


# --------------------------------------------------------------------------- the table


def test_given_name_table_is_well_formed() -> None:
    rows = _table_rows()
    assert rows[0][1] == ["name", "gender"]
    for n, row in rows[1:]:
        assert len(row) == 2, f"line {n}: {row}"
        name, gender = row
        assert gender in ("m", "f"), f"line {n}: {row}"
        assert name == name.strip() and name[:1].isupper() and " " not in name, f"line {n}: {row}"
    assert len(rows) > 300


def test_given_name_table_has_no_duplicate_nor_name_of_both_genders() -> None:
    seen: dict[str, str] = {}
    for n, (name, gender) in _table_rows()[1:]:
        key = fold(name)
        assert key not in seen, f"line {n}: {name} listed twice ({seen[key]}, {gender})"
        seen[key] = gender


def test_given_names_do_not_clash_with_title_cues() -> None:
    cues = gender_cues()
    clashes = {k for k, g in given_names().items() if k in cues and cues[k] != g}
    assert not clashes


@pytest.mark.parametrize(
    "name", ["Jean", "Andrea", "Nicola", "Simone", "Camille", "Jaime", "Sasha", "Kim", "Jordan", "Yuki"]
)
def test_names_given_to_both_sexes_are_left_out(name: str) -> None:
    assert fold(name) not in given_names()


# --------------------------------------------------------------------------- gender_of


@pytest.mark.parametrize(
    ("name", "role", "gender"),
    [
        ("Sergei Lavrov", None, "m"),
        ("Sergey Lavrov", None, "m"),
        ("Yelena Markova", None, "f"),
        ("José Ortega", None, "m"),  # accents folded
        ("Anna-Lena Baerbock", None, "f"),  # the first part of a hyphenated name
        ("Mrs. Helen Ford", None, "f"),  # a title leads
        ("Peter Holm", "spokeswoman", "f"),  # a role word outranks the given name
        ("Anna Berg", "chairman", "m"),
        ("Ford", None, None),  # a single word is a surname
        ("Thomas", None, None),
        ("J. Smith", None, None),  # an initial
        ("Kim Jong Un", None, None),  # a surname first, not in the table
        ("Jordan Lee", None, None),  # unisex
        ("Zyxw Qrst", None, None),
    ],
)
def test_gender_of_a_name_and_role(name: str, role: str | None, gender: str | None) -> None:
    assert gender_of(name, role) == gender


# --------------------------------------------------------------------------- events: he/she skip the other gender


def _mentions(sdoc) -> list[Mention]:
    return [Mention(e.start_char, e.end_char, e.text, e.label_, e.text) for e in sdoc.ents]


@pytest.mark.parametrize(
    ("text", "pronoun", "actor"),
    [
        (
            "Maria Lopez arrived on Monday. Robert Ford welcomed her at the airport. "
            "She met with the unions in the capital.",
            "She",
            "Maria Lopez",
        ),
        (
            "Robert Ford arrived on Monday. Maria Lopez welcomed him at the airport. "
            "He met with the unions in the capital.",
            "He",
            "Robert Ford",
        ),
        # no gender told by either name: the last subject, as before
        (
            "Zyxw Holm arrived on Monday. Qrst Berg welcomed the delegation at the airport. "
            "She met with the unions in the capital.",
            "She",
            "Qrst Berg",
        ),
    ],
)
def test_event_pronoun_skips_a_person_of_the_other_gender(
    nlp: Language, text: str, pronoun: str, actor: str
) -> None:
    sdoc = nlp(text)
    mentions = _mentions(sdoc)
    events = find_events(sdoc, mentions, [], [])
    meet = [e for e in events if e.trigger.lower().startswith("met") or e.trigger == "meet"]
    assert meet, [(e.type, e.trigger) for e in events]
    assert {mentions[i].name for i in meet[0].actors} == {actor}
