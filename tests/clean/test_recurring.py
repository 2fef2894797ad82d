from __future__ import annotations

import pytest

from storyline.clean import clean_text, normalise_line, recurring_lines


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Copyright 2010 Harbour Post. All rights reserved.", "copyright 2011 Harbour Post -- all rights reserved"),
        ("Share this article: Facebook | Twitter", "SHARE THIS ARTICLE:  facebook / twitter"),
        ("12 Comments", "345 comments"),
    ],
)
def test_normalise_line_folds_what_varies_between_pages(a: str, b: str) -> None:
    assert normalise_line(a) == normalise_line(b)


def _page(body: str) -> str:
    return f"Site Menu\nShare this article: Facebook | Twitter\n{body}\nCopyright 2020 Harbour Post\n"


def test_recurring_lines_found_across_pages_and_copies_count_once() -> None:
    one = _page("The mayor opened the new bridge on Monday, and traffic began to flow at noon.")
    two = _page("The council approved the budget for next year after a long debate on Tuesday.")
    rec = recurring_lines([one, two])
    assert normalise_line("Share this article: Facebook | Twitter") in rec
    assert normalise_line("Copyright 2021 Harbour Post") in rec
    assert not any("bridge" in line for line in rec)
    # the same page saved twice does not make its own sentences boilerplate
    assert not recurring_lines([one, one])


def test_recurring_site_line_is_removed_but_recurring_prose_inside_the_body_stays() -> None:
    shared = "Markets around the world fell sharply today as investors sold shares."
    raw = (
        "Markets fall\n\n"
        "Harbour Post Business Desk Extra\n"
        f"{shared}\n"
        "The main index lost three percent by the close, its worst day in a month, traders said.\n"
        "Bank shares led the fall after a weak report on lending was published in the morning.\n"
    )
    rec = frozenset({normalise_line("Harbour Post Business Desk Extra"), normalise_line(shared)})
    c = clean_text(raw, recurring=rec)
    assert "Business Desk" not in c.text
    assert shared in c.text
    assert any(r.reason == "site-boilerplate" for r in c.removed)
