"""CST Art. 6: the heads of state decide on the use of forces; use outside the parties' territory."""

from __future__ import annotations

from tests.conformance.conftest import ALL_SUPPORT, covers


@covers("cst-art6-force-use")
def test_only_the_collective_security_council_decides_a_deployment(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    t.do("ARM", "convene", "kz", body="cfm")
    r = t.refused("ARM", "propose", "kz", level="deployment")
    assert r.article == "CST Art. 6 (as amended 2010)"
    t.do("ARM", "propose", "kz", level="statement")


@covers("cst-art6-deployment-order")
def test_a_deployment_needs_an_adopted_decision(table) -> None:  # type: ignore[no-untyped-def]
    r = table("2022-01-06").refused("joint_staff", "order_deployment", "d", decision="nothing")
    assert r.rule == "cst-art6-deployment-order" and r.article == "CST Art. 6 (as amended 2010)"
    assert "no decision to deploy" in r.reason


@covers("cst-art6-deployment-order")
def test_a_decision_below_deployment_orders_no_forces(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    assert t.council("kz", "ARM", ALL_SUPPORT, level="statement").data["level"] == "statement"
    r = t.refused("joint_staff", "order_deployment", "d", decision="kz")
    assert r.rule == "cst-art6-deployment-order"


@covers("cst-art6-deployment-order")
def test_a_deployment_is_ordered_under_a_decision_to_deploy(table) -> None:  # type: ignore[no-untyped-def]
    t = table("2022-01-05")
    t.do("KAZ", "request_assistance", "kz", kind="internal_unrest", framed_as_armed_attack=True)
    t.council("kz", "ARM", ALL_SUPPORT, level="deployment")
    t.do("joint_staff", "task_forces", "kz", force="peacekeeping", contributions={"RUS": 1500})
    e = t.do("joint_staff", "order_deployment", "d", decision="kz")
    assert e[0].type == "DeploymentOrdered" and e[0].data["decision"] == "assistance/kz"


@covers("cst-art6-out-of-area")
def test_forces_outside_the_parties_territory_need_international_security_grounds(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules.defence import out_of_area

    t = table("2022-01-06")
    sit = t.engine.world.situation()
    v = out_of_area(sit, "AFG", un_mandate=False)
    assert not v.ok and v.article == "CST Art. 6 (as amended 2010)"
    assert out_of_area(sit, "AFG", un_mandate=True).ok
    assert out_of_area(sit, "KAZ", un_mandate=False).ok
