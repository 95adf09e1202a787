"""ArmsSupply: a preferential arms supply between members (MTC Agreement 2000), ordered, delivered, passed on.

Prices and retransfer are judged by the rules in ``csto.rules.cooperation``; this module keeps the
order of the steps and who takes each. Only the ``ev_*`` handlers change state.
"""

from __future__ import annotations

from typing import Any

from csto.procedures.base import Action, ActionSpec, DomainEvent, Param, Procedure
from csto.procedures.params import (
    param_bool,
    param_float,
    param_int,
    param_str,
    param_text,
)
from csto.rules.cooperation import preferential_supply, retransfer


class ArmsSupply(Procedure):
    """A preferential arms supply (MTC Agreement 2000): ordered → delivered → (retransferred with consent).

    Delivery does not close the case: the no-retransfer obligation (Art. 6) binds the buyer for as long
    as it holds the products, so a delivered case stays open for a retransfer request. Only a retransfer
    or a cancellation before delivery ends it; ``outcome`` is therefore None for a delivered case.
    """

    kind = "arms"
    title = "Arms supply on preferential terms"
    article = ("mtc-2000", "2")
    starts = frozenset({"order"})
    specs = {
        "order": ActionSpec(
            "order",
            "the buying member",
            "Order military products from another member on preferential terms.",
            {
                "supplier": Param("state", required=True),
                "item": Param("str", required=True),
                "quantity": Param("int", required=True),
                "domestic_price": Param(
                    "float", required=True, help="per unit: the supplier's domestic price"
                ),
                "export_price": Param("float", required=True, help="per unit: the supplier's export price"),
                "unit_price": Param(
                    "float", help="per unit: the contract price (default: the domestic price)"
                ),
            },
        ),
        "deliver": ActionSpec("deliver", "the supplier", "Deliver the order."),
        "retransfer": ActionSpec(
            "retransfer",
            "the buyer",
            "Pass the delivered products on to another state, person or organisation.",
            {"recipient": Param("str", required=True), "supplier_consent": Param("bool", default=False)},
        ),
        "cancel": ActionSpec(
            "cancel", "the buyer or the supplier", "Cancel before delivery.", {"reason": Param("str")}
        ),
    }

    def __init__(self, case: str, world: Any) -> None:
        super().__init__(case, world)
        self.order: dict[str, Any] = {}
        self.delivered_at: str | None = None
        self.retransfer_to: str | None = None

    def terminal_steps(self) -> frozenset[str]:
        return frozenset({"retransferred", "cancelled"})

    def allowed_now(self, kind: str, actor: str) -> str | None:
        if kind == "order":
            return None if self.step == "new" else "the order has already been placed"
        if self.step == "new":
            return "nothing has been ordered: start with 'order'"
        buyer, supplier = self.order.get("buyer"), self.order.get("supplier")
        if kind == "deliver":
            if actor != supplier:
                return f"only the supplier ({supplier}) delivers"
            return None if self.step == "ordered" else "the order has already been delivered"
        if kind == "retransfer":
            if actor != buyer:
                return f"only the buyer ({buyer}) holds the products"
            return None if self.step == "delivered" else "nothing has been delivered yet"
        if kind == "cancel":
            if actor not in (buyer, supplier):
                return f"only the buyer ({buyer}) or the supplier ({supplier}) may cancel"
            return None if self.step == "ordered" else "a delivered order cannot be cancelled"
        return f"'{kind}' does not apply here"

    def on_order(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        supplier = param_str(action, "supplier")
        quantity = param_int(action, "quantity")
        domestic = param_float(action, "domestic_price")
        export = param_float(action, "export_price")
        unit = param_float(action, "unit_price", default=domestic)
        self.check(
            preferential_supply(
                sit, supplier, action.actor, unit, domestic, quantity=quantity, export_price=export
            )
        )
        return [
            self.event(
                "OrderPlaced",
                action,
                buyer=action.actor,
                supplier=supplier,
                item=param_str(action, "item"),
                quantity=quantity,
                unit_price=unit,
                domestic_price=domestic,
                export_price=export,
                total=round(unit * quantity, 2),
                saving=round((export - unit) * quantity, 2),
                price_basis=sit.param("mtc-2000", "2", "price_basis", "contract"),
                citation=sit.cite("mtc-2000", "2"),
            )
        ]

    def on_deliver(self, action: Action) -> list[DomainEvent]:
        return [
            self.event(
                "Delivered",
                action,
                supplier=self.order["supplier"],
                buyer=self.order["buyer"],
                item=self.order["item"],
                quantity=self.order["quantity"],
            )
        ]

    def on_retransfer(self, action: Action) -> list[DomainEvent]:
        sit = self.world.situation(action.at)
        recipient = param_str(action, "recipient")
        consent = param_bool(action, "supplier_consent")
        self.check(retransfer(sit, action.actor, recipient, str(self.order["supplier"]), consent))
        return [
            self.event(
                "Retransferred",
                action,
                holder=action.actor,
                recipient=recipient,
                supplier_consent=consent,
                item=self.order["item"],
                quantity=self.order["quantity"],
                citation=sit.cite("mtc-2000", "6"),
            )
        ]

    def on_cancel(self, action: Action) -> list[DomainEvent]:
        return [self.event("OrderCancelled", action, reason=param_text(action, "reason"))]

    def ev_OrderPlaced(self, e: DomainEvent) -> None:
        self.order = {k: v for k, v in e.data.items() if k not in ("actor", "citation")}
        self.step = "ordered"

    def ev_Delivered(self, e: DomainEvent) -> None:
        self.delivered_at = e.at.isoformat()
        self.step = "delivered"

    def ev_Retransferred(self, e: DomainEvent) -> None:
        self.retransfer_to = e.data["recipient"]
        self.step = "retransferred"

    def ev_OrderCancelled(self, e: DomainEvent) -> None:
        self.step = "cancelled"

    def snapshot(self) -> dict[str, Any]:
        return {
            **super().snapshot(),
            "order": dict(sorted(self.order.items())),
            "delivered_at": self.delivered_at,
            "retransferred_to": self.retransfer_to,
        }
