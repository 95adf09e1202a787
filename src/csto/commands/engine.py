"""Commands that drive the engine: ``csto play SCRIPT``.

``play`` checks the whole script first (file, line, field), then takes each step through a session
bound to the ledger; refusals are printed with their article and write nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="Ledger: a SQLite path or postgresql:// URL (default: $CSTO_DB or csto.db)."),
]


def register(app: typer.Typer) -> None:
    app.command("play")(play)


def default_db(db: str | None) -> str:
    import os

    return db or os.environ.get("CSTO_DB") or "csto.db"


def play(
    script: Annotated[Path, typer.Argument(help="A play script (YAML); see examples/.")],
    db: DbOpt = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Run a scripted sequence of actions through the engine, printing each event or refusal."""
    from csto.errors import CstoError
    from csto.game.legal import legal_steps
    from csto.ledger import open_ledger
    from csto.model import load_dataset
    from csto.report.events import describe
    from csto.rules import RefusedError, RulesConfig
    from csto.script import load_script
    from csto.session import open_session

    ds = load_dataset(alliance, data_dir=data)
    sc = load_script(script, ds)
    if sc.alliance != ds.info.id:
        from csto.errors import ScriptError

        raise ScriptError(
            f"the script is for '{sc.alliance}' but the dataset is '{ds.info.id}'",
            file=str(script),
            field="alliance",
        )
    config = RulesConfig(**sc.config)
    url = default_db(db)
    ledger = open_ledger(url)
    try:
        session, opening = open_session(ledger, ds, sc.start, config)
        rows: list[dict[str, Any]] = []
        c = None if json_out else console()
        if c is not None:
            c.print(f"[bold]{sc.title}[/bold]  ({len(sc.steps)} steps → {url})")
            if opening is not None:
                c.print(
                    f"  {_stamp(opening.at, sc.start, sc.timezone)}  {describe(opening.type, opening.data)}"
                )
        mismatches = 0
        for step in sc.steps:
            a = step.action
            row: dict[str, Any] = {
                "step": step.number,
                "line": step.line,
                "at": a.at.isoformat(),
                "actor": a.actor,
                "action": a.kind,
                "case": a.case,
                "expect": step.expect,
                # the moves the actor had at this point (the step itself among them unless out of sequence)
                "legal": [s.key for s in legal_steps(session.engine, a.actor)],
            }
            try:
                stored = session.act(a)
            except CstoError as err:
                if err.file is not None:
                    raise
                # an engine error for this step (not a refusal): say which step of which file it was
                where = f"steps[{step.number - 1}]"
                raise type(err)(
                    err.message,
                    file=str(script),
                    line=step.line,
                    field=f"{where}.{err.field}" if err.field else where,
                    expected=err.expected,
                ) from None
            except RefusedError as err:
                r = err.refused
                row.update(
                    status="refused",
                    events=[],
                    refusal={
                        "article": r.article,
                        "reason": r.reason,
                        "rule": r.rule,
                        "uncertain": r.uncertain,
                    },
                )
                if step.expect != "refused":
                    mismatches += 1
                if c is not None:
                    mark = "" if step.expect == "refused" else "  [red](unexpected)[/red]"
                    c.print(
                        f"  {_stamp(a.at, sc.start, sc.timezone)}  {a.actor} {a.kind}: "
                        f"[bold red]REFUSED[/bold red] under {r.article}: {r.reason}{mark}"
                    )
            else:
                row.update(
                    status="ok",
                    events=[
                        {
                            "seq": s.seq,
                            "stream": s.stream,
                            "version": s.version,
                            "type": s.type,
                            "at": s.at.isoformat(),
                            "data": s.data,
                            "hash": s.hash,
                        }
                        for s in stored
                    ],
                )
                if step.expect == "refused":
                    mismatches += 1
                if c is not None:
                    for s in stored:
                        c.print(f"  {_stamp(s.at, sc.start, sc.timezone)}  {describe(s.type, s.data)}")
                    if step.expect == "refused":
                        c.print("  [red](expected a refusal)[/red]")
            rows.append(row)
        report = ledger.verify()
        outcome = {
            case: {"procedure": p.kind, "step": p.step, "outcome": p.outcome}
            for case, p in sorted(session.engine.cases.items())
        }
        if json_out:
            print_json(
                {
                    "script": str(script),
                    "title": sc.title,
                    "db": url,
                    "steps": rows,
                    "cases": outcome,
                    "mismatches": mismatches,
                    "chain": report.to_dict(),
                }
            )
        else:
            assert c is not None
            refused = sum(1 for r in rows if r["status"] == "refused")
            c.print(
                f"{len(rows)} steps: {len(rows) - refused} recorded, {refused} refused"
                f"{f', {mismatches} not as the script expected' if mismatches else ''}. "
                f"Ledger: {report.count} events, chain {'intact' if report.ok else 'BROKEN'}."
            )
        if mismatches:
            raise typer.Exit(1)
    finally:
        ledger.close()


def _stamp(at: dt.datetime, start: dt.datetime, tz: dt.tzinfo) -> str:
    hours = (at - start).total_seconds() / 3600
    local = at.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M} {hours:+6.1f} h"
