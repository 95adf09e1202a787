"""Charter Art. 12: consensus among those entitled to take part; standing aside; voting rights; quorum."""

from __future__ import annotations

from tests.conformance.conftest import covers


def _tabled(t, case="d"):  # type: ignore[no-untyped-def]
    t.do("KAZ", "table", case, subject="a joint measure")
    t.do(t.engine.world.chair() or "secretariat", "convene", case, body="csc")
    return t


@covers("charter-art12-consensus")
def test_one_objection_blocks_the_decision(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2024-06-01"))
    for s in ("BLR", "KAZ", "KGZ", "RUS"):
        t.do(s, "vote", "d", position="support")
    t.do("TJK", "vote", "d", position="object")
    last = t.do("secretariat", "close", "d")[-1]
    assert last.type == "DecisionFailed"
    assert "TJK" in last.data["reason"]


@covers("charter-art12-consensus")
def test_standing_aside_does_not_block_and_gives_a_limited_format(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2024-06-01"))
    for s in ("BLR", "KAZ", "RUS", "TJK"):
        t.do(s, "vote", "d", position="support")
    t.do("KGZ", "vote", "d", position="stand_aside")
    last = t.do("secretariat", "close", "d")[-1]
    assert last.type == "DecisionAdopted"
    assert last.data["limited_format"] is True
    assert set(last.data["stand_aside"]) == {"ARM", "KGZ"}  # ARM is frozen in 2024


@covers("charter-art12-consensus")
def test_a_proposal_nobody_supports_is_not_adopted(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2024-06-01"))
    for s in ("BLR", "KAZ", "KGZ", "RUS", "TJK"):
        t.do(s, "vote", "d", position="stand_aside")
    assert t.do("secretariat", "close", "d")[-1].type == "DecisionFailed"


@covers("charter-art12-voting-rights")
def test_only_members_vote(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2024-06-01"))
    r = t.refused("UZB", "vote", "d", position="support")
    assert r.rule == "charter-art12-voting-rights"
    assert r.article == "Charter Art. 12"


@covers("practice-frozen-participation", "charter-art12-voting-rights")
def test_a_frozen_member_cannot_vote_and_is_recorded_as_standing_aside(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2025-01-10"))
    r = t.refused("ARM", "vote", "d", position="object")
    assert r.rule == "practice-frozen-participation"
    assert r.uncertain is True


@covers("charter-art12-quorum")
def test_too_few_positions_means_no_decision_can_be_taken(table) -> None:  # type: ignore[no-untyped-def]
    t = _tabled(table("2024-06-01"))
    t.do("KAZ", "vote", "d", position="support")
    r = t.refused("secretariat", "close", "d")
    assert r.rule == "charter-art12-quorum" and r.uncertain
    t.do("RUS", "vote", "d", position="support")
    t.do("BLR", "vote", "d", position="support")
    assert t.do("secretariat", "close", "d")[-1].type == "DecisionAdopted"


@covers("charter-art12-quorum")
def test_quorum_can_be_configured_to_require_everyone(table) -> None:  # type: ignore[no-untyped-def]
    from csto.rules import RulesConfig

    t = _tabled(table("2024-06-01", RulesConfig(absent_counts_as_stand_aside=False)))
    for s in ("BLR", "KAZ", "RUS", "TJK"):
        t.do(s, "vote", "d", position="support")
    r = t.refused("secretariat", "close", "d")
    assert "absence does not count" in r.reason


@covers("charter-art12-consensus")
def test_under_a_silence_procedure_an_ally_that_does_not_object_consents() -> None:
    """NATO's Council: a draft is agreed unless an ally breaks silence; without the procedure a body that
    allows no standing aside needs everyone's support."""
    import datetime as dt

    from csto.model import load_dataset
    from csto.procedures import Engine
    from csto.rules.decisions import consensus_outcome

    eng = Engine(load_dataset("nato"))
    eng.replay([eng.open(dt.datetime(2015, 7, 28, 9, tzinfo=dt.UTC))])
    sit = eng.world.situation()
    voters = sit.voters()
    quiet = {s: "stand_aside" for s in voters} | {"TUR": "support"}
    agreed = consensus_outcome(sit, voters, quiet, stand_aside_allowed=False, silence=True)
    assert agreed.adopted and not agreed.limited_format and "silence" in agreed.reason
    assert not consensus_outcome(sit, voters, quiet, stand_aside_allowed=False).adopted
    broken = quiet | {"HUN": "object"}
    assert not consensus_outcome(sit, voters, broken, stand_aside_allowed=False, silence=True).adopted
