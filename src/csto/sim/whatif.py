"""What-ifs on membership: the alliance without some members or with others, and what changes.

``changed(ds, without, with_, at)`` rewrites the dataset's membership intervals from ``at`` on (removed
states are coded as having withdrawn that day; added ones as members from that day). ``whatif`` compares
before and after: members, forces, shares of combined military spending (the organization's own budget
shares are not in the sources), population, GDP, a cohesion index, and the odds on every bundled scenario,
each scenario counterfactually changed on its own date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from csto.errors import InputError
from csto.model import MEMBER_STATUSES, Dataset, Membership, view_at
from csto.model.figures import same_year, total_doc
from csto.policy import nominal_draw
from csto.policy.posterior import calibrated_policy
from csto.sim.catalog import bundled
from csto.sim.montecarlo import run_crisis
from csto.sim.runner import run_trial

COHESION_DEFINITION = (
    "Cohesion = the share of member pairs that take the same stance (support, stand aside, object) on the last "
    "proposal of the central run, averaged over the bundled scenarios (1 = always unanimous)."
)


def check_codes(ds: Dataset, without: list[str], with_: list[str], at: dt.date) -> None:
    known = {s.iso3 for s in ds.states}
    for code in (*without, *with_):
        if code not in known:
            raise InputError(
                f"unknown state '{code}'",
                field="--without/--with",
                expected="an ISO3 code of a state in members.yaml: " + ", ".join(sorted(known)),
            )
    for code in without:
        st = ds.state(code)
        if st is None or st.status_at(at) not in MEMBER_STATUSES:
            raise InputError(
                f"{code} is not a member on {at.isoformat()} (status: {st.status_at(at) if st else None}); it "
                "cannot be removed",
                field="--without",
                expected="a member on that date",
            )
    for code in with_:
        st = ds.state(code)
        if st is not None and st.status_at(at) in MEMBER_STATUSES:
            raise InputError(
                f"{code} is already a member on {at.isoformat()}; it cannot be added",
                field="--with",
                expected="a state that is not a member on that date",
            )
    if set(without) & set(with_):
        raise InputError("a state is both removed and added", field="--with", expected="distinct states")


def changed(ds: Dataset, without: list[str], with_: list[str], at: dt.date) -> Dataset:
    """The dataset with the membership changes applied from ``at`` on."""
    basis = "what-if"
    states = []
    for s in ds.states:
        if s.iso3 not in without and s.iso3 not in with_:
            states.append(s)
            continue
        kept: list[Membership] = []
        for m in s.memberships:
            if m.start >= at:
                continue
            kept.append(m.model_copy(update={"end": at}) if m.end is None or m.end > at else m)
        new_status = "withdrawn" if s.iso3 in without else "member"
        kept.append(
            Membership(
                status=new_status, start=at, end=None, basis=basis, source=("whatif",), note="counterfactual"
            )
        )
        states.append(s.model_copy(update={"memberships": tuple(kept)}))
    sources = dict(ds.sources)
    if "whatif" not in sources:
        from csto.model import Source

        sources["whatif"] = Source(
            key="whatif",
            title="Counterfactual membership (csto whatif)",
            publisher="csto",
            date="undated",
            kind="derived",
            note="Not a fact: the change a what-if asked for.",
        )
    return ds.model_copy(update={"states": tuple(states), "sources": sources})


def _personnel(ds: Dataset, force_id: str, c: Any) -> float:
    """A contribution's personnel: as sourced, else the planning strength of that state's units in the force."""
    if c.personnel is not None:
        return float(c.personnel.value)
    try:
        from csto.logistics import load_logistics

        lg = load_logistics(ds)
    except InputError:
        return 0.0
    except Exception:
        return 0.0
    return float(sum(u.personnel for u in lg.units if u.state == c.state and force_id in u.forces))


def figures(ds: Dataset, at: dt.date) -> dict[str, Any]:
    a = view_at(ds, at)
    members = [m.iso3 for m in a.members]
    usd = {m.iso3: m.state.spending_usd(at) for m in a.members}
    spend = {k: q.value for k, q in usd.items() if q is not None}
    total_spend = sum(spend.values()) or 1.0
    pop = [m.state.population.at(at) for m in a.members]
    gdp = same_year([m.state.gdp_usd for m in a.members], at)
    forces = []
    for f in a.forces:
        active = f.active_contributions(at)
        present = [c for c in active if c.state in members]
        gone = [c for c in active if c.state not in members]
        lost = sum(_personnel(ds, f.id, c) for c in gone)
        strength = f.registered_total
        forces.append(
            {
                "id": f.id,
                "name": f.name,
                "contributors": sorted({c.state for c in present}),
                "strength": None if strength is None else max(0.0, strength - lost),
                "lost_contributors": sorted({c.state for c in gone}),
            }
        )
    return {
        "members": members,
        "population": sum(q.value for q in pop if q is not None),
        "gdp_usd": sum(q.value for q in gdp if q is not None),
        "spending_shares": {k: round(v / total_spend, 4) for k, v in sorted(spend.items())},
        "figures": {
            "population": total_doc(pop),
            "gdp_usd": total_doc(gdp),
            "military_spending_usd_derived": total_doc(list(usd.values())),
        },
        "forces": forces,
    }


def cohesion(ds: Dataset, without: list[str], with_: list[str]) -> float:
    params = calibrated_policy(ds)  # the central run's parameters, as in run_crisis
    values = []
    for sc in bundled(ds):
        d = sc.start.astimezone(dt.UTC).date()  # the day the engine opens the world
        try:
            cds = changed(ds, without, with_, d) if (without or with_) else ds
        except InputError:
            cds = ds
        out = run_trial(cds, params, sc, nominal_draw(params))
        stances = [v.stance for v in out.votes]
        pairs = list(itertools.combinations(stances, 2))
        if pairs:
            values.append(sum(1 for a, b in pairs if a == b) / len(pairs))
    return round(sum(values) / len(values), 4) if values else 1.0


def odds(ds: Dataset, without: list[str], with_: list[str], trials: int, seed: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for sc in bundled(ds):
        d = sc.start.astimezone(dt.UTC).date()  # the day the engine opens the world
        cds = ds
        if without or with_:
            applicable_without = [
                x for x in without if (st := ds.state(x)) and st.status_at(d) in MEMBER_STATUSES
            ]
            applicable_with = [
                x for x in with_ if (st := ds.state(x)) and st.status_at(d) not in MEMBER_STATUSES
            ]
            cds = changed(ds, applicable_without, applicable_with, d)
        r = run_crisis(cds, sc, trials=trials, seed=seed)
        out[sc.id] = {"level": r.level, "probabilities": {k: round(v, 4) for k, v in r.probabilities.items()}}
    return out


def whatif(
    ds: Dataset, *, without: list[str], with_: list[str], at: dt.date, trials: int = 2000, seed: int = 0
) -> dict[str, Any]:
    check_codes(ds, without, with_, at)
    after_ds = changed(ds, without, with_, at)
    return {
        "at": at.isoformat(),
        "without": without,
        "with": with_,
        "before": {**figures(ds, at), "cohesion": cohesion(ds, [], [])},
        "after": {**figures(after_ds, at), "cohesion": cohesion(ds, without, with_)},
        "cohesion_definition": COHESION_DEFINITION,
        "spending_note": "Shares of the members' combined military spending (derived); the organization's own "
        "budget shares are not in the sources. Figures are of the date's year or the latest earlier one, never "
        "later ('figures' gives their years and how many members have none).",
        "odds_before": odds(ds, [], [], trials, seed),
        "odds_after": odds(ds, without, with_, trials, seed),
        "odds_note": "Each bundled scenario is changed on its own date: removed states leave, added ones join.",
    }
