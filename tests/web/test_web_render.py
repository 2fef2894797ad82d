"""Span highlighting: escaped pieces, well-formed nesting whatever the overlaps, one id per span."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from storyline.web.render import Mark, highlight, in_context, parse_span, snippet_html, span_anchor


class TagChecker(HTMLParser):
    """Collects text and checks that every tag closes in order (no executable markup allowed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.nested_links = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a" and "a" in self.stack:
            self.nested_links += 1
        self.stack.append(tag)
        self.tags.append(tag)
        self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(markup: str) -> TagChecker:
    parser = TagChecker()
    parser.feed(markup)
    parser.close()
    assert parser.stack == [], f"unclosed tags {parser.stack}"
    return parser


TEXT = 'Kim said: "We <stand> with Russia & friends." Then he left.'


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [(0, 3)],
        [(0, 46), (10, 46), (11, 13)],  # sentence ⊃ quote ⊃ word
        [(5, 20), (10, 30)],  # overlapping, neither inside the other
        [(0, 10), (0, 10), (5, 15), (14, 60)],  # duplicates and a chain of overlaps
        [(0, len(TEXT)), (3, 3), (50, 999), (-5, 2)],  # empty, past the end, before the start
    ],
)
def test_highlight_keeps_the_text_and_nests_tags_whatever_the_overlaps(spans: list[tuple[int, int]]) -> None:
    marks = [Mark(s, e, "span", "k", anchor=span_anchor(s, e)) for s, e in spans]
    parser = check(highlight(TEXT, marks))
    assert "".join(parser.text) == TEXT
    assert len(parser.ids) == len(set(parser.ids))


def test_highlight_escapes_markup_in_the_text_and_in_attributes() -> None:
    text = "<script>alert(1)</script> and <img src=x onerror=alert(2)>"
    out = highlight(text, [Mark(0, 8, "span", "x", (("title", '"><script>alert(3)</script>'),))])
    parser = check(out)
    assert parser.tags == ["span"]
    assert "".join(parser.text) == text
    assert "<script>" not in out and "<img" not in out


def test_overlapping_spans_are_reopened_and_keep_one_id() -> None:
    out = highlight("abcdefghij", [Mark(0, 6, "span", "a", anchor="s0-6"), Mark(3, 9, "span", "b", anchor="s3-9")])
    assert out.count('class="b"') == 2  # split where "a" closes, reopened after
    assert out.count('id="s3-9"') == 1 and out.count('id="s0-6"') == 1


def test_a_link_is_never_opened_inside_another_link() -> None:
    marks = [Mark(0, 10, "a", "outer", (("href", "/x"),)), Mark(2, 5, "a", "inner", (("href", "/y"),))]
    parser = check(highlight("0123456789", marks))
    assert parser.nested_links == 0


def test_lower_rank_is_the_outer_tag_on_the_same_span() -> None:
    out = highlight("abc", [Mark(0, 3, "span", "inner", rank=5), Mark(0, 3, "mark", "outer", rank=0)])
    assert out.startswith('<mark class="outer"><span class="inner">')


@pytest.mark.parametrize("value", ["", "12", "a-b", "5-5", "9-3", "1-2-3", "-1-4"])
def test_parse_span_refuses_what_is_not_a_span(value: str) -> None:
    with pytest.raises(ValueError, match="span"):
        parse_span(value)


def test_parse_span_reads_start_and_end() -> None:
    assert parse_span(" 12-40 ") == (12, 40)


def test_snippet_marks_hits_and_escapes_the_rest() -> None:
    out = snippet_html("a <b>\ue000Putin\ue001</b> & co")
    assert out == "a &lt;b&gt;<mark>Putin</mark>&lt;/b&gt; &amp; co"


def test_snippet_with_a_cut_marker_drops_the_markers() -> None:
    assert "<mark>" not in snippet_html("\ue000Putin said")


def test_in_context_gives_the_span_and_words_around_it() -> None:
    text = "word " * 30 + "TARGET" + " more" * 30
    left, mid, right = in_context(text, 150, 156, width=20)
    assert mid == "TARGET"
    assert left.startswith("…") and right.endswith("…")
    assert html.unescape(left).strip().endswith("word")
