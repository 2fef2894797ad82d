"""Trigger precision and recall on a small ECB+-shaped corpus written by the test."""

from __future__ import annotations

from pathlib import Path

from test_ecbplus import anchors, write_doc  # the same ECB+-shaped file writer

from storyline.evaluation.ecb_triggers import score_triggers, table

SENTENCES = [
    ["Police", "arrested", "John", "Smith", "in", "Boston", "."],  # t1-t7: the arrest is annotated
    ["John", "Smith", "attacked", "Mary", "Jones", "."],  # t8-t13: the attack is not
    ["Mary", "Jones", "attacked", "John", "Smith", "."],  # t14-t19: annotated, but the sentence is not listed
]
MARKABLES = f"""
<ACTION_OCCURRENCE m_id="1">{anchors(2)}</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2">{anchors(16)}</ACTION_OCCURRENCE>
"""


def test_events_on_annotated_actions_are_right_and_unlisted_sentences_do_not_count(tmp_path: Path) -> None:
    write_doc(tmp_path / "xml" / "3" / "3_1ecb.xml", SENTENCES, MARKABLES)
    (tmp_path / "ECBplus_coreference_sentences.csv").write_text(
        "Topic,File,Sentence Number\n3,1ecb,0\n3,1ecb,1\n", encoding="utf-8"
    )
    scores = score_triggers(tmp_path)
    assert (scores.events, scores.on_action) == (2, 1)
    assert (scores.actions, scores.found) == (1, 1)
    assert scores.by_type == {"ASSAULT": [1, 0], "COERCE": [1, 1]}
    assert [w[2] for w in scores.wrong] == ["attack"]
    assert "trigger precision 0.500" in table(scores)
