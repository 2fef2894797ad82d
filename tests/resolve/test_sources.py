"""Independent sources: outlets and copy groups count once, relayed reports count as the relayed outlet."""

from __future__ import annotations

import pytest

from storyline.model import Document, Entity, ResolvedEvent
from storyline.resolve.sources import count_sources, outlet, source_label


def _ev(doc, mode="asserted", source=None):
    return ResolvedEvent(
        id=f"v-{doc}",
        doc=doc,
        type="CONSULT",
        start=0,
        end=5,
        trigger="meet",
        actors=["kim"],
        targets=[],
        location=None,
        date=None,
        mode=mode,
        source=source,
    )


def _doc(i, site=None, url=None, group=None, source=None):
    return Document(id=i, source=source or f"{i}.txt", text="x", site=site, url=url, group=group)


AGENCY = Entity(id="e-kcna", name="KCNA", type="ORG")
PERSON = Entity(id="e-kim", name="Kim Jong Un", type="PERSON")


def test_two_outlets_carrying_one_wire_story_count_once():
    docs = [_doc("d1", site="paper-a.com", group="g1"), _doc("d2", site="paper-b.com", group="g1")]
    assert len(count_sources([_ev("d1"), _ev("d2")], docs, [])) == 1


def test_two_outlets_relaying_one_agency_count_as_that_agency():
    docs = [_doc("d1", site="paper-a.com"), _doc("d2", site="paper-b.com")]
    events = [_ev("d1", "reported", "e-kcna"), _ev("d2", "reported", "e-kcna")]
    assert count_sources(events, docs, [AGENCY]) == ["KCNA"]


def test_independent_outlets_count_separately():
    docs = [_doc("d1", site="paper-a.com"), _doc("d2", site="paper-b.com"), _doc("d3", site="paper-a.com")]
    assert count_sources([_ev("d1"), _ev("d2"), _ev("d3")], docs, []) == ["paper-a.com", "paper-b.com"]


def test_quoting_a_person_does_not_make_them_an_outlet():
    docs = [_doc("d1", site="paper-a.com"), _doc("d2", site="paper-b.com")]
    events = [_ev("d1", "reported", "e-kim"), _ev("d2", "reported", "e-kim")]
    assert count_sources(events, docs, [PERSON]) == ["paper-a.com", "paper-b.com"]


def test_an_article_with_its_own_report_counts_as_itself():
    docs = [_doc("d1", site="paper-a.com")]
    events = [_ev("d1", "reported", "e-kcna"), _ev("d1")]
    assert count_sources(events, docs, [AGENCY]) == ["paper-a.com"]


def test_outlet_falls_back_from_site_to_url_host_to_nothing():
    assert outlet(_doc("d1", site="www.Paper.com")) == "paper.com"
    assert outlet(_doc("d1", url="https://www.wire.net/a/b")) == "wire.net"
    assert outlet(_doc("d1")) is None


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("/data/corpus/riots-report.txt", "riots-report.txt"),
        ("C:\\news\\story.html", "story.html"),
        ("/data/feed.jsonl#12", "feed.jsonl#12"),
    ],
)
def test_source_label_without_an_outlet_is_the_file_name(source, label):
    assert source_label(_doc("d1", source=source)) == label
    assert source_label(_doc("d1", site="paper.com", source=source)) == "paper.com"


def test_source_label_of_a_document_with_no_source_is_its_id():
    assert source_label(Document(id="d1", source="", text="x")) == "d1"


def test_articles_with_no_outlet_count_as_their_files_not_their_ids():
    docs = [_doc("d1", source="/in/a.txt"), _doc("d2", source="/in/b.txt")]
    assert count_sources([_ev("d1"), _ev("d2")], docs, []) == ["a.txt", "b.txt"]


def test_files_of_the_same_name_in_two_folders_stay_two_sources():
    docs = [_doc("d1", source="/x/story.txt"), _doc("d2", source="/y/story.txt")]
    assert len(count_sources([_ev("d1"), _ev("d2")], docs, [])) == 2


def test_unnamed_copies_of_one_article_count_once():
    docs = [_doc("d1", source="/x/a.txt", group="g"), _doc("d2", source="/x/b.txt", group="g")]
    assert count_sources([_ev("d1"), _ev("d2")], docs, []) == ["a.txt"]
