"""MTC Agreement 2000: members supply each other's forces at the supplier's domestic price, for a positive
quantity at prices that are not negative, and products are not passed on without the supplier's consent."""

from __future__ import annotations

from typing import Any

from tests.conformance.conftest import covers

ORDER: dict[str, Any] = {
    "supplier": "RUS",
    "item": "Su-30SM",
    "quantity": 4,
    "domestic_price": 1_000_000.0,
    "export_price": 1_500_000.0,
}


def _art2(r: Any) -> bool:
    return bool(
        r.article.startswith("MTC Agreement 2000 Art. 2") and r.rule == "mtc-2000-preferential-supply"
    )


@covers("mtc-2000-preferential-supply")
def test_an_order_for_no_items_is_refused(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("KAZ", "order", "a", **{**ORDER, "quantity": 0})
    assert _art2(r) and r.reason == "the quantity must be positive, not 0"


@covers("mtc-2000-preferential-supply")
def test_a_negative_price_is_refused(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("KAZ", "order", "a", **{**ORDER, "export_price": -1.0})
    assert _art2(r) and r.reason == "prices cannot be negative"


@covers("mtc-2000-preferential-supply")
def test_the_domestic_price_caps_the_contract_price(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2023-03-01")
    r = t.refused("KAZ", "order", "a", unit_price=1_200_000.0, **ORDER)
    assert _art2(r) and "exceeds the supplier's domestic price" in r.reason
    assert t.do("KAZ", "order", "a", unit_price=1_000_000.0, **ORDER)[0].data["total"] == 4_000_000.0


@covers("mtc-2000-preferential-supply")
def test_a_state_does_not_supply_itself(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2023-03-01").refused("RUS", "order", "a", **ORDER)
    assert _art2(r) and "supply itself" in r.reason
