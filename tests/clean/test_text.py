"""clean_text on small pages the tests write: each kind of page furniture, repeats, comments."""

from __future__ import annotations

import pytest

from storyline.clean import clean_text
from storyline.model import raw_offset

BODY = [
    "The city council voted on Tuesday to rebuild the old stone bridge over the river, ending a debate "
    "that had lasted for more than three years.",
    "The bridge, which was closed to traffic in 2019 after engineers found cracks in two of its arches, "
    "will be repaired with stone from the original quarry, the mayor said.",
    "Work is expected to begin in the spring and to take about eighteen months, according to the plan "
    "that the council approved by a wide margin.",
    "Residents who live near the bridge said they welcomed the decision but worried about the noise and "
    "the traffic that the building work would bring to their streets.",
]
TITLE = "Council votes to rebuild the old stone bridge"
NAV = ["Home", "News", "Sport", "Business", "Local | Politics | Weather", "Search"]
TRENDING = [
    "TRENDING",
    "1",
    "Five things to know about the new tram line",
    "2",
    "Local bakery wins national bread award for the second time",
    "3",
    "Weekend weather: sunshine and showers expected across the region",
]
FOOTER = [
    "Share this article: Facebook | Twitter | Email | Print",
    "Subscribe to our newsletter",
    "About us | Contact | Privacy Policy | Terms of Use",
    "© 2023 Riverside Daily. All rights reserved.",
    "Email: desk@riverside.example",
]


def page(*blocks: list[str]) -> str:
    return "\n".join(line for block in blocks for line in block) + "\n"


def test_body_kept_and_navigation_trending_footer_removed(offsets_exact) -> None:
    raw = page(NAV, [TITLE], BODY, TRENDING, FOOTER)
    c = clean_text(raw)
    for sentence in BODY:
        assert sentence in c.text
    for junk in [*NAV, *TRENDING[2::2], *FOOTER, "TRENDING"]:
        assert junk not in c.text, junk
    assert c.title == TITLE
    assert c.text.startswith(TITLE)
    reasons = {r.reason for r in c.removed}
    assert {"navigation", "footer"} <= reasons
    offsets_exact(raw, c)


@pytest.mark.parametrize(
    "legal",
    [
        "© 2023 Riverside Daily. All rights reserved.",
        "Copyright 2023 Riverside Daily",
        "About us | Contact | Privacy Policy | Terms of Use",
        "Email: desk@riverside.example",
        "Phone: +44 20 7946 0958",
    ],
)
def test_footer_and_legal_lines_removed(legal: str) -> None:
    raw = page([TITLE], BODY[:2], [legal], BODY[2:])
    c = clean_text(raw)
    assert legal not in c.text
    assert all(s in c.text for s in BODY)


def test_paragraph_printed_twice_is_kept_once(offsets_exact) -> None:
    raw = page([TITLE, ""], BODY[:2], [BODY[1]], BODY[2:])
    c = clean_text(raw)
    assert c.text.count(BODY[1]) == 1
    assert any(r.reason == "repeat" for r in c.removed)
    offsets_exact(raw, c)


def test_teaser_repeating_body_sentences_is_dropped() -> None:
    first = BODY[0].split(", ending")[0] + "."
    teaser = BODY[3] + BODY[1]  # two body sentences glued together above the article
    raw = page([TITLE, teaser, ""], BODY)
    c = clean_text(raw)
    assert c.text.count(BODY[3]) == 1 and c.text.count(BODY[1]) == 1
    assert first[:40] in c.text


def test_sentence_repeated_inside_a_later_paragraph_is_dropped() -> None:
    repeated = "The bridge will be repaired with stone from the original quarry, the mayor said."
    last = BODY[3].replace("Residents", "Neighbours") + " " + repeated
    raw = page([TITLE], [BODY[0] + " " + repeated], BODY[2:], [last])
    c = clean_text(raw)
    assert c.text.count(repeated) == 1


@pytest.mark.parametrize("second", [TITLE, TITLE + ".", TITLE.upper()])
def test_title_printed_twice(second: str) -> None:
    raw = page([TITLE, "", second], BODY)
    c = clean_text(raw)
    assert c.title == TITLE
    assert c.text.lower().count(TITLE.lower()) == 1
    assert any(r.reason == "title-repeat" for r in c.removed)


def test_title_from_header_not_repeated_in_text() -> None:
    raw = page([f" date 2023-05-02 {TITLE}", TITLE, ""], BODY)
    c = clean_text(raw)
    assert c.title == TITLE
    assert c.text.count(TITLE) <= 1


COMMENTS = [
    "I think they should have pulled it down years ago, what a waste of money.",
    "You clearly never had to drive round by the ring road every morning.",
    "https://images.example-host.com/uploads/3f9a0c1e.jpg",
    "Is that the bridge my grandfather built? 😂😂",
    "CORRECTION: the council voted on Wednesday, not Tuesday!!",
]


@pytest.mark.parametrize(
    "opener",
    [
        ["Maria Santos is the city editor of the Riverside Daily and a former council reporter."],
        ["42 Comments"],
        ["Leave a Reply"],
    ],
)
def test_comments_after_author_box_or_marker_removed(opener: list[str]) -> None:
    raw = page([TITLE], BODY, opener, COMMENTS)
    c = clean_text(raw)
    assert all(s in c.text for s in BODY)
    for line in [*opener, *COMMENTS]:
        assert line not in c.text, line
    assert "comments" in {r.reason for r in c.removed}


def test_comment_list_with_names_and_timestamps_removed() -> None:
    listing = []
    for name, when, said in [
        ("riverfan77 says:", "March 3, 2023 at 6:34 am", COMMENTS[0]),
        ("Old Town Joe says:", "March 3, 2023 at 7:02 am", COMMENTS[1]),
    ]:
        listing += [name, when, said]
    raw = page([TITLE], BODY, listing)
    c = clean_text(raw)
    assert all(s in c.text for s in BODY)
    assert "says:" not in c.text and COMMENTS[0] not in c.text


def test_comments_link_near_headline_does_not_cut_the_article() -> None:
    raw = page([TITLE, "12 Comments"], BODY)
    c = clean_text(raw)
    assert all(s in c.text for s in BODY)


def test_bylines_credits_and_bullets_removed() -> None:
    extra = ["By Maria Santos", "Image Credit: Riverside Archive", "  • Topics:", "  • Bridges"]
    raw = page([TITLE], extra, BODY)
    c = clean_text(raw)
    for line in extra:
        assert line.strip() not in c.text


def test_offsets_map_back_to_raw(offsets_exact) -> None:
    raw = page(NAV, ["", TITLE, ""], [BODY[0] + "Trade RelationsOn March 3, the port reopened."], BODY[1:], FOOTER)
    c = clean_text(raw)
    offsets_exact(raw, c)
    for probe in ("The bridge, which", "Residents who", "On March 3"):
        i = c.text.index(probe)
        j = raw_offset(c.segments, i)
        assert raw[j : j + len(probe)] == probe


def test_removed_pieces_cover_what_was_cut() -> None:
    raw = page(NAV, [TITLE], BODY, FOOTER)
    c = clean_text(raw)
    cut = " ".join(raw[r.start : r.end] for r in c.removed)
    assert "Privacy Policy" in cut and "Sport" in cut


def test_one_sentence_per_line_article_is_kept_whole() -> None:
    lines = [
        "Apple released a new version of its music software on Tuesday.",
        "The update adds support for lossless audio.",
        "It will be free for existing users.",
        "Analysts said the move was expected.",
    ]
    raw = page([" date 2008-03-06 wikinews:1234", "Apple updates music software", ""], lines)
    c = clean_text(raw)
    assert all(line in c.text for line in lines)
    assert c.title == "Apple updates music software"


def test_pre_cleaned_text_keeps_short_lines_but_drops_repeats_and_splits_glue(offsets_exact) -> None:
    raw = page(["Key points", BODY[0], BODY[0], BODY[1] + "Trade RelationsOn March 3, the port reopened."])
    c = clean_text(raw, pre_cleaned=True)
    assert "Key points" in c.text
    assert c.text.count(BODY[0]) == 1
    assert "\nOn March 3" in c.text
    offsets_exact(raw, c)


@pytest.mark.parametrize("raw", ["", "\n\n", "Home\nNews\n"])
def test_empty_or_furniture_only_input(raw: str, offsets_exact) -> None:
    c = clean_text(raw)
    offsets_exact(raw, c)
    assert c.published is None


def test_chatty_comments_without_any_marker_removed() -> None:
    raw = page([TITLE], BODY, COMMENTS)
    c = clean_text(raw)
    assert all(s in c.text for s in BODY)
    assert COMMENTS[2] not in c.text and COMMENTS[3] not in c.text
    assert "comments" in {r.reason for r in c.removed}


def test_reporter_sentence_in_mid_article_does_not_cut_it() -> None:
    bio_like = "Maria Santos is a reporter who covered the bridge for the Riverside Daily for many years."
    raw = page([TITLE], BODY[:2], [bio_like], BODY[2:], BODY[:1])
    c = clean_text(raw)
    assert all(s in c.text for s in BODY)


def test_first_person_quote_at_the_end_of_a_report_is_kept() -> None:
    letter = [
        "“I have decided to take a leave of absence so I can focus on my health.",
        "In the meantime, my family and I would ask you to respect our privacy,” he wrote.",
        "I will be back as soon as I can, he added in the letter to staff.",
    ]
    raw = page([TITLE], BODY, letter)
    c = clean_text(raw)
    assert all(line in c.text for line in letter)
