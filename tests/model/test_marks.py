"""The shared confidence marks: which values the CLI and the web flag as uncertain."""

from __future__ import annotations

from csto.model.common import MARK_LEGEND, mark, marked, uncertain_class


def test_low_is_tilde_and_unverified_or_assumed_is_question_mark() -> None:
    assert mark("low") == "~"
    assert mark("unverified") == "?"
    assert mark("high", assumed=True) == "?"
    assert mark(None, assumed=True) == "?"


def test_sure_values_carry_no_mark() -> None:
    for c in (None, "high", "medium"):
        assert mark(c) == ""
        assert marked("1,000", c) == "1,000"
        assert uncertain_class(c) == ""


def test_marked_text_and_web_class_agree() -> None:
    assert marked("1,000", "low") == "1,000 ~"
    assert uncertain_class("low") == "uncertain"
    assert "~" in MARK_LEGEND and "?" in MARK_LEGEND
