"""``csto episodes`` and ``csto sources``: the historical record behind the data.

The crises and the CSTO's response, the sources behind every fact, and the common errors the record
contradicts, as Rich tables or JSON. It reads the dataset only; no domain logic lives here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from csto.commands.common import AllianceOpt, DataOpt, JsonOpt, console, print_json
from csto.errors import InputError


def register(app: typer.Typer) -> None:
    app.command("episodes")(episodes)
    app.command("sources")(sources)


def episodes(
    action: Annotated[str | None, typer.Argument(help="'show' to see one episode.")] = None,
    episode_id: Annotated[str | None, typer.Argument(help="The episode id (see the list).")] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """Historical crises and the CSTO's response: ``csto episodes`` or ``csto episodes show ID``."""
    from csto.model import load_dataset

    ds = load_dataset(alliance, data_dir=data)
    if action is None:
        if json_out:
            print_json(
                {
                    "episodes": [
                        {
                            "id": e.id,
                            "title": e.title,
                            "start": e.start.isoformat(),
                            "kind": e.kind,
                            "article": e.request.article,
                            "response": e.response.level,
                        }
                        for e in ds.episodes
                    ]
                }
            )
            return
        from rich.table import Table

        t = Table(title="Episodes", title_justify="left")
        for col in ("Id", "Dates", "Kind", "Request", "Response"):
            t.add_column(col)
        for e in ds.episodes:
            req = f"{e.request.state or '—'} → {e.request.addressed_to} ({e.request.article})"
            t.add_row(e.id, f"{e.start} – {e.end}", e.kind, req, e.response.level)
        console().print(t)
        return
    if action != "show" or episode_id is None:
        raise InputError(
            f"unknown episodes action '{action}'", field="ACTION", expected="'show ID' or nothing"
        )
    found = ds.episode(episode_id)
    if found is None:
        raise InputError(
            f"unknown episode '{episode_id}'",
            field="ID",
            expected="one of: " + ", ".join(x.id for x in ds.episodes),
        )
    e = found
    if json_out:
        print_json(e.model_dump(mode="json", by_alias=True))
        return
    c = console()
    c.print(
        f"[bold]{e.title}[/bold] ({e.start} – {e.end}) · {e.kind} · {e.location.region}, {e.location.state}"
    )
    r = e.request
    c.print(
        f"Request: {r.by or r.state or 'none'} → {r.addressed_to}, article {r.article}"
        + (f", {r.date}" if r.date else "")
        + (f" — framed as: {r.framing}" if r.framing else "")
    )
    c.print(f"Response: [bold]{e.response.level}[/bold] — {e.response.summary}")
    if e.forces:
        c.print(
            "Forces: "
            + "; ".join(
                f"{f.state} {f.personnel if f.personnel is not None else '?'}"
                + (f" ({f.vehicles} vehicles)" if f.vehicles else "")
                for f in e.forces
            )
        )
    for line in e.timeline:
        c.print(
            f"  {line.date}{' ' + line.time if line.time else ''}  {line.event}  [dim]({', '.join(line.source)})[/dim]"
        )
    if e.consequences:
        c.print(f"Consequences: {e.consequences}")


def sources(
    corrections: Annotated[
        bool, typer.Option("--corrections", help="Show common errors and the record.")
    ] = False,
    key: Annotated[str | None, typer.Argument(help="Show one source by key.")] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    alliance: AllianceOpt = "csto",
) -> None:
    """The sources behind every fact, or with --corrections the common errors the record contradicts."""
    from csto.model import load_dataset

    ds = load_dataset(alliance, data_dir=data)
    if corrections:
        if json_out:
            print_json({"corrections": [c.model_dump(mode="json") for c in ds.corrections]})
            return
        c = console()
        for corr in ds.corrections:
            c.print(f"[bold]✗ {corr.claim}[/bold]  ({corr.verdict.replace('_', ' ')})")
            c.print(f"  ✓ {corr.correction}")
            c.print(f"  [dim]sources: {', '.join(corr.source)}[/dim]")
        return
    items = list(ds.sources.values())
    if key is not None:
        if key not in ds.sources:
            raise InputError(
                f"unknown source '{key}'", field="KEY", expected="a key listed by 'csto sources'"
            )
        items = [ds.sources[key]]
    if json_out:
        print_json({"sources": [s.model_dump(mode="json") for s in items]})
        return
    from rich.table import Table

    t = Table(title=f"{len(items)} sources", title_justify="left")
    for col in ("Key", "Title", "Publisher", "Date", "URL"):
        t.add_column(col, overflow="fold")
    for s in items:
        t.add_row(s.key, s.title, s.publisher, s.date, s.url or "")
    console().print(t)
