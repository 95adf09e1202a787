"""Figures by year: a series gives the figure of a day's year or the latest earlier one, never a later one."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from csto.model.figures import Series, figure_doc, total_doc

SERIES = {
    "source": "wb",
    "points": [
        {"year": 1995, "value": 10},
        {"year": 2000, "value": 20, "confidence": "low"},
        {"year": 2024, "value": 30, "source": "factbook"},
    ],
}


def test_at_takes_the_year_or_the_latest_earlier_one() -> None:
    s = Series.model_validate(SERIES)
    assert s.at(dt.date(1994, 12, 31)) is None
    assert s.at(dt.date(1995, 1, 1)).value == 10  # type: ignore[union-attr]
    assert s.at(dt.date(2010, 6, 1)).year == 2000  # type: ignore[union-attr]
    assert s.at(dt.date(2030, 1, 1)).year == 2024  # type: ignore[union-attr]


def test_points_inherit_the_series_source_and_keep_their_own() -> None:
    s = Series.model_validate(SERIES)
    assert s.points[0].source == ("wb",)
    assert s.points[2].source == ("factbook",)


def test_absent_figure_says_why() -> None:
    s = Series.model_validate({**SERIES, "gap": "World Bank series starts in 1995"})
    doc = figure_doc(s.at(dt.date(1993, 1, 1)), s.absent(dt.date(1993, 1, 1)))
    assert doc["value"] is None and "1995" in doc["absent"] and "starts" in doc["absent"]


def test_the_one_figure_form_still_reads_and_needs_a_year() -> None:
    assert Series.model_validate({"value": 5, "year": 2020, "source": "x"}).at(dt.date(2021, 1, 1)).value == 5  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="year"):
        Series.model_validate({"value": 5, "source": "x"})
    with pytest.raises(ValidationError, match="year"):
        Series.model_validate({"source": "x", "points": [{"value": 5}]})


def test_years_are_unique_and_ordered() -> None:
    with pytest.raises(ValidationError, match="oldest first"):
        Series.model_validate(
            {"source": "x", "points": [{"year": 2000, "value": 1}, {"year": 2000, "value": 2}]}
        )


def test_json_carries_year_and_confidence_and_totals_their_years() -> None:
    s = Series.model_validate(SERIES)
    day = dt.date(2001, 1, 1)
    assert figure_doc(s.at(day))["year"] == 2000 and figure_doc(s.at(day))["confidence"] == "low"
    t = total_doc([s.at(day), None, s.at(dt.date(1996, 1, 1))])
    assert t == {"value": 30, "years": [1995, 2000], "missing": 1, "confidence": "low"}


def test_a_total_of_gdp_adds_one_common_year() -> None:
    from csto.model.figures import same_year

    a = Series.model_validate(
        {"source": "x", "points": [{"year": 2016, "value": 1}, {"year": 2017, "value": 2}]}
    )
    b = Series.model_validate(
        {"source": "x", "points": [{"year": 2016, "value": 10}, {"year": 2024, "value": 20}]}
    )
    day = dt.date(2025, 1, 1)
    assert [q.year for q in same_year([a, b], day)] == [2016, 2016]  # type: ignore[union-attr]
    c = Series.model_validate({"source": "x", "points": [{"year": 2024, "value": 5}]})
    assert [q.year for q in same_year([a, c], day)] == [2017, 2024]  # type: ignore[union-attr]  # none common
