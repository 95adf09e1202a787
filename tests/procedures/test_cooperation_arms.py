"""ArmsSupply: orders at or below the supplier's domestic price, delivery, and no retransfer without consent.

Refusals cite MTC Agreement 2000 Art. 2 (price, parties, sequence) and Art. 6 (retransfer), or the
freeze practice (Charter Art. 12); refused steps write nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from csto.procedures import Action

ART2 = "MTC Agreement 2000 Art. 2"
ART6 = "MTC Agreement 2000 Art. 6"


def t(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC)


def act(kind: str, actor: str, day: str, case: str = "arms-1", **params: Any) -> Action:
    return Action(kind, actor, t(day), case, params)


ORDER = {
    "supplier": "RUS",
    "item": "Su-30SM",
    "quantity": 4,
    "domestic_price": 1_000_000.0,
    "export_price": 1_500_000.0,
}


def test_order_at_the_domestic_price_records_total_and_saving(engine_at):
    eng = engine_at("2023-03-01")
    ev = eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    d = ev[0].data
    assert ev[0].type == "OrderPlaced"
    assert d["unit_price"] == 1_000_000.0  # defaults to the domestic price
    assert d["total"] == 4_000_000.0
    assert d["saving"] == 2_000_000.0  # (export - unit) * quantity
    assert d["price_basis"] == "supplier_domestic"  # the 2019 protocol version of Art. 2
    assert d["citation"] == ART2


def test_contract_price_below_domestic_is_allowed_and_saves_more(engine_at):
    eng = engine_at("2023-03-01")
    ev = eng.handle(act("order", "KAZ", "2023-03-02", unit_price=900_000.0, **ORDER))
    assert ev[0].data["saving"] == 2_400_000.0


def test_price_above_the_domestic_price_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    r = refused(eng, act("order", "KAZ", "2023-03-02", unit_price=1_200_000.0, **ORDER))
    assert r.article == ART2 and r.rule == "mtc-2000-preferential-supply"
    assert "arms-1" not in eng.cases


def test_frozen_buyer_is_refused(engine_at, refused):
    eng = engine_at("2025-03-01")
    r = refused(eng, act("order", "ARM", "2025-03-02", **ORDER))
    assert r.article == "Charter Art. 12" and r.rule == "practice-frozen-participation"


def test_non_member_buyer_and_self_supply_are_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    assert refused(eng, act("order", "AZE", "2023-03-02", **ORDER)).article == ART2
    assert refused(eng, act("order", "RUS", "2023-03-02", **ORDER)).article == ART2


def test_bad_quantity_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    assert refused(eng, act("order", "KAZ", "2023-03-02", **{**ORDER, "quantity": 0})).article == ART2


def test_delivery_keeps_the_case_open_for_the_retransfer_obligation(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    assert refused(eng, act("deliver", "KAZ", "2023-04-01")).article == ART2  # only the supplier delivers
    ev = eng.handle(act("deliver", "RUS", "2023-04-01"))
    assert ev[0].type == "Delivered"
    case = eng.cases["arms-1"]
    assert case.step == "delivered" and not case.is_terminal
    assert "retransfer" in case.legal_actions("KAZ")


def test_retransfer_without_consent_is_refused_and_writes_nothing(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    eng.handle(act("deliver", "RUS", "2023-04-01"))
    r = refused(eng, act("retransfer", "KAZ", "2023-05-01", recipient="UKR", supplier_consent=False))
    assert r.article == ART6 and r.rule == "mtc-2000-no-retransfer"
    assert eng.cases["arms-1"].step == "delivered"


def test_retransfer_with_consent_closes_the_case(engine_at):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    eng.handle(act("deliver", "RUS", "2023-04-01"))
    ev = eng.handle(act("retransfer", "KAZ", "2023-05-01", recipient="KGZ", supplier_consent=True))
    assert ev[0].type == "Retransferred" and ev[0].data["citation"] == ART6
    assert eng.cases["arms-1"].outcome == "retransferred"


def test_retransfer_before_delivery_and_by_others_is_refused(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    r = refused(eng, act("retransfer", "KAZ", "2023-03-03", recipient="KGZ", supplier_consent=True))
    assert r.article == ART2 and r.rule == "arms-sequence"
    eng.handle(act("deliver", "RUS", "2023-04-01"))
    assert (
        refused(eng, act("retransfer", "BLR", "2023-05-01", recipient="KGZ", supplier_consent=True)).article
        == ART2
    )


def test_cancel_before_delivery(engine_at, refused):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    eng.handle(act("cancel", "RUS", "2023-03-03", reason="export licence"))
    assert eng.cases["arms-1"].outcome == "cancelled"
    assert refused(eng, act("deliver", "RUS", "2023-03-04")).article == ART2


def test_replay_of_events_rebuilds_the_same_supply(engine_at, replayed):
    eng = engine_at("2023-03-01")
    eng.handle(act("order", "KAZ", "2023-03-02", **ORDER))
    eng.handle(act("order", "BLR", "2023-03-02", case="arms-2", **{**ORDER, "item": "Tor-M2"}))
    eng.handle(act("deliver", "RUS", "2023-04-01"))
    eng.handle(act("retransfer", "KAZ", "2023-05-01", recipient="KGZ", supplier_consent=True))
    assert replayed(eng).snapshot() == eng.snapshot()
