"""Charter Art. 13: the Council's chair (by rotation) convenes its sessions."""

from __future__ import annotations

from tests.conformance.conftest import covers


@covers("charter-art13-convening")
def test_only_the_chair_or_the_secretariat_convenes(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    r = t.refused("RUS", "convene", "kz", body="csc")
    assert r.article.startswith("Charter Art. 13")
    assert "ARM" in r.reason
    ev = t.do("ARM", "convene", "kz", body="csc")
    assert ev[0].data["chair"] == "ARM"


@covers("charter-art13-convening")
def test_a_session_cannot_be_convened_twice(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2024-03-01")
    t.do("KAZ", "table", "d", subject="x")
    t.do("KAZ", "convene", "d")
    r = t.refused("KAZ", "convene", "d")
    assert "already open" in r.reason
