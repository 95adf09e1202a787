"""Figures by year in the web: the dashboard shows the population of the day's year (or the latest earlier one)
with its year, never a later figure, and marks uncertain values with the shared class."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.test_pages import login


def test_dashboard_shows_population_of_the_day_with_its_year(client: TestClient) -> None:
    login(client, "ctl")
    r = client.get("/?at=2001-06-01")
    assert r.status_code == 200
    assert "Population (year)" in r.text
    assert "146,596,557 (2000)" in r.text  # Russia, World Bank 2000
    assert "(2025)" not in r.text
    today = client.get("/").text
    assert "(2025)" in today  # the latest sourced figure
