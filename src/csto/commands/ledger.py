"""``csto ledger``: show, verify, export and import the event ledger (``--db URL``, ``--json``), and anchor it:
``keygen`` makes a signing key, ``head --sign KEY`` writes a signed checkpoint, ``verify --checkpoint FILE``
holds the ledger to one.

Thin: every command opens the ledger through ``csto.ledger.open_ledger`` and renders the result; signing and
checking are ``csto.ledger.checkpoint``'s.
SQLAlchemy and Rich load inside the command functions so ``csto --help`` stays fast; no ledger
logic (hashing, checking, formats) lives here.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from csto.commands.common import JsonOpt, console, print_json

if TYPE_CHECKING:  # pragma: no cover
    from csto.ledger import SqlLedger

app = typer.Typer(
    name="ledger",
    help="Read, verify, export and import the event ledger.",
    no_args_is_help=True,
    add_completion=False,
)

DEFAULT_DB = "csto.db"

DbOpt = Annotated[
    str,
    typer.Option(
        "--db",
        envvar="CSTO_DB",
        help="The ledger: a SQLite file path or sqlite:///PATH, or postgresql://USER@HOST/DB "
        "(default: $CSTO_DB, else csto.db here).",
    ),
]


def _open(db: str, *, create: bool) -> SqlLedger:
    from csto.ledger import open_ledger

    return open_ledger(db, create=create)


def _short(data: dict[str, Any], width: int = 60) -> str:
    from csto.ledger import canonical_json

    text = canonical_json(data)
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def show(
    db: DbOpt = DEFAULT_DB,
    stream: Annotated[str | None, typer.Option("--stream", help="Only events of this stream.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="Show the last N matching events (0: all of them).")
    ] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List events in seq order: seq, when it happened, stream, version, type and its data."""
    from collections import deque

    with _open(db, create=False) as ledger:
        total = 0
        shown: deque[Any] = deque(maxlen=limit or None)
        for ev in ledger.read(stream=stream):
            total += 1
            shown.append(ev)
    if as_json:
        print_json({"total": total, "shown": len(shown), "events": [ev.to_record() for ev in shown]})
        return
    from rich.table import Table

    what = f"stream {stream!r}" if stream else "the ledger"
    table = Table(title=f"{len(shown)} of {total} events in {what}", title_justify="left")
    table.add_column("seq", justify="right")
    table.add_column("at (UTC)")
    table.add_column("stream")
    table.add_column("ver", justify="right")
    table.add_column("type")
    table.add_column("data", overflow="fold")
    for ev in shown:
        table.add_row(
            str(ev.seq),
            ev.at.strftime("%Y-%m-%d %H:%M:%S"),
            ev.stream,
            str(ev.version),
            ev.type,
            _short(ev.data),
        )
    console().print(table)


@app.command()
def keygen(
    key: Annotated[Path, typer.Argument(help="Write the private key here (and its public key to KEY.pub).")],
    as_json: JsonOpt = False,
) -> None:
    """Make an Ed25519 key pair for signing checkpoints; keep KEY away from the ledger's database."""
    from csto.ledger.checkpoint import generate_key

    kid = generate_key(key)
    if as_json:
        print_json({"key": str(key), "public_key": f"{key}.pub", "key_id": kid})
    else:
        typer.echo(f"key {kid}: private key {key} (keep it secret), public key {key}.pub")


@app.command()
def head(
    db: DbOpt = DEFAULT_DB,
    sign: Annotated[
        Path | None, typer.Option("--sign", help="Sign a checkpoint of the head with this private key.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the signed checkpoint here (default: standard output)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The ledger's head (sequence number and hash); with --sign KEY, a signed checkpoint to keep elsewhere."""
    from csto.errors import InputError

    if sign is None:
        if out is not None:
            raise InputError("--out writes a signed checkpoint", field="--out", expected="--sign KEY with it")
        with _open(db, create=False) as ledger:
            report = ledger.verify()
        if as_json:
            print_json({"seq": report.count, "head_hash": report.head_hash, "intact": report.ok})
        else:
            state = "" if report.ok else f" (the chain breaks after it: {report.reason})"
            typer.echo(f"seq {report.count}  head {report.head_hash or '-'}{state}")
        return
    from csto.ledger.checkpoint import load_private_key, sign_head

    key = load_private_key(sign)
    with _open(db, create=False) as ledger:
        cp = sign_head(ledger, key)
    if out is None:
        sys.stdout.write(cp.to_json())
        return
    try:
        out.write_text(cp.to_json(), encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot write there: {exc.strerror}", file=out, expected="a writable file path"
        ) from None
    if as_json:
        print_json({**cp.to_dict(), "file": str(out)})
    else:
        typer.echo(f"checkpoint of seq {cp.seq} (head {cp.head_hash[:16]}…) signed by key {cp.key_id}: {out}")


@app.command()
def verify(
    db: DbOpt = DEFAULT_DB,
    checkpoint: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint", help="Also hold the ledger to this signed checkpoint (ledger head --sign)."
        ),
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option("--key", help="The public key (KEY.pub) the checkpoint must be signed with."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Walk the hash chain; exit 0 if it is intact, 1 naming the first bad event, 2 for an unknown type.
    With --checkpoint, exit 1 unless the ledger holds to it (not cut short, not rewritten before it)."""
    if checkpoint is not None:
        _verify_checkpoint(db, checkpoint, key, as_json)
        return
    if key is not None:
        from csto.errors import InputError

        raise InputError(
            "--key checks a checkpoint's signature", field="--key", expected="--checkpoint FILE with it"
        )
    with _open(db, create=False) as ledger:
        report = ledger.verify()
    if as_json:
        print_json(report.to_dict())
    elif report.ok:
        typer.echo(f"chain intact: {report.count} events")
    elif report.unreadable:
        typer.echo(
            f"event {report.first_bad_seq}: {report.reason} (stream {report.stream!r}); the chain up to it "
            f"is intact ({report.count} events), but this version of csto cannot read it",
            err=True,
        )
    else:
        typer.echo(
            f"chain broken at seq {report.first_bad_seq} (stream {report.stream!r}, type {report.type!r}): "
            f"{report.reason}; {report.count} events before it are intact"
        )
    if not report.ok:
        raise SystemExit(
            2 if report.unreadable else 1
        )  # not typer.Exit: csto.cli.main runs Typer in non-standalone mode


def _verify_checkpoint(db: str, file: Path, key: Path | None, as_json: bool) -> None:
    from csto.ledger.checkpoint import check, load_public_key, read_checkpoint

    cp = read_checkpoint(file)
    trusted = load_public_key(key) if key is not None else None
    with _open(db, create=False) as ledger:
        report = check(ledger, cp, trusted)
    if as_json:
        print_json(report.to_dict())
    else:
        pin = (
            ""
            if report.pinned
            else f" (signed by the key it carries, {report.key_id}: pass --key to pin yours)"
        )
        out = (
            f"checkpoint {file}: {report.reason}{pin}"
            if report.ok
            else f"checkpoint {file} refused: {report.reason}"
        )
        typer.echo(out, err=not report.ok)
    if not report.ok:
        raise SystemExit(1)


@app.command()
def export(
    file: Annotated[Path | None, typer.Argument(help="Write here (default: standard output).")] = None,
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Write the ledger as JSON lines (header, one line per event, trailer with count and head hash)."""
    from csto.errors import InputError

    if file is None or str(file) == "-":
        if as_json:
            raise InputError(
                "--json needs a FILE: standard output already carries the JSON lines",
                field="FILE",
                expected="csto ledger export FILE --json",
            )
        with _open(db, create=False) as ledger:
            ledger.export_jsonl(sys.stdout)
        return
    import os
    import tempfile

    if file.is_dir():
        raise InputError("is a folder", file=file, expected="a file path to write the export to")
    with _open(db, create=False) as ledger:
        # Write beside the target and rename, so a failed export never leaves half a file.
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
        except OSError as exc:
            raise InputError(
                f"cannot write there: {exc.strerror}", file=file, expected="a path in a writable folder"
            ) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fp:
                count = ledger.export_jsonl(fp)
            os.replace(tmp, file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    if as_json:
        print_json({"exported": count, "file": str(file)})
    else:
        typer.echo(f"exported {count} events to {file}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="An export written by `csto ledger export` ('-': stdin).")],
    db: DbOpt = DEFAULT_DB,
    as_json: JsonOpt = False,
) -> None:
    """Load an export into an empty ledger, verifying every hash; a broken file is refused, all or nothing."""
    from csto.errors import InputError

    source: AbstractContextManager[IO[str]]
    if str(file) == "-":
        source = nullcontext(sys.stdin)
    else:
        try:
            source = file.open(encoding="utf-8", newline="")
        except OSError as exc:
            raise InputError(
                f"cannot read it: {exc.strerror}", file=file, expected="a readable export file"
            ) from None
    with source as fp, _open(db, create=True) as ledger:
        try:
            count = ledger.import_jsonl(fp)
        except BaseException:
            if ledger.created and ledger.path is not None:
                # A refused import into a file this command just made leaves no empty ledger behind.
                ledger.close()
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{ledger.path}{suffix}").unlink(missing_ok=True)
            raise
        head = ledger.head()
    if as_json:
        print_json({"imported": count, "file": str(file), "head_hash": head.hash if head else None})
    else:
        typer.echo(f"imported {count} events into {ledger.location}")
