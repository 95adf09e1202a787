"""Backup: an export followed by an import gives an identical ledger and identical projections.

The ledgers are realistic: every example play script (examples/*.yaml) played into three independent
worlds each (``ScopedLedger`` scopes of one shared chain, their steps interleaved so the chain mixes
streams), plus one exercise-room drill with statements in Cyrillic, Armenian and emoji: about 280 events.
After ``export_jsonl`` → ``import_jsonl`` into an empty ledger, every stored column is compared as stored
(seq, stream, version, type, at, data, recorded_at, prev_hash, hash), ``verify()`` gives the same head
hash, and the projections agree: ``counts_by_type``, ``stream_versions`` and the engine state rebuilt by
``replay_snapshot`` for every world. Re-exporting the copy gives the same bytes. SQLite → SQLite,
PostgreSQL → PostgreSQL, SQLite → PostgreSQL → SQLite, and the same through ``csto ledger export|import``.

``build_realistic_ledger`` is also used by the tamper tests.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import sqlite3
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from csto.ledger import SqlLedger, counts_by_type, open_ledger, project, stream_versions
from csto.ledger.scoped import ScopedLedger
from csto.ledger.sql import events_table, meta_table
from csto.model import Dataset, load_dataset
from csto.rules import RefusedError, RulesConfig
from csto.script import load_script
from csto.session import open_session, replay_snapshot

pytestmark = pytest.mark.reliability

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DRILL = "drill-1"


@functools.cache
def dataset() -> Dataset:
    return load_dataset("csto")


def build_realistic_ledger(url: str, copies: int = 3) -> list[str]:
    """Fill the empty ledger at ``url`` with played worlds and a room drill; return the scopes (worlds)."""
    ds = dataset()
    scripts = [load_script(p, ds) for p in sorted(EXAMPLES.glob("*.yaml"))]
    assert scripts, f"no play scripts in {EXAMPLES}"
    scopes: list[str] = []
    with open_ledger(url) as ledger:
        assert ledger.head() is None, "build_realistic_ledger needs an empty ledger"
        worlds = []
        for k in range(copies):
            for sc in scripts:
                scope = f"{Path(sc.file).stem}-{k}"
                session, _ = open_session(ScopedLedger(ledger, scope), ds, sc.start, RulesConfig(**sc.config))
                worlds.append((session, [step.action for step in sc.steps]))
                scopes.append(scope)
        for i in range(max(len(actions) for _, actions in worlds)):
            for session, actions in worlds:
                if i < len(actions):
                    # some scripts expect refusals; a refusal writes nothing
                    with contextlib.suppress(RefusedError):
                        session.act(actions[i])
        _drill(ledger, ds)
        scopes.append(DRILL)
    return scopes


def _drill(ledger: SqlLedger, ds: Dataset) -> None:
    """An exercise-room drill (Kazakhstan 2022) to a deployment, with non-ASCII statements."""
    from csto.policy import load_policy
    from csto.sim.catalog import find
    from csto.web import roles
    from csto.web.room import Room

    room = Room.create(DRILL, ledger, ds, load_policy(ds), find(ds, "kazakhstan-2022"), "Учения «Щит» ✓", 7)

    def step(role: str, seat: str | None, step_kind: str, **params: Any) -> None:
        actor = roles.authorize(role, seat, roles.STEP_GRANT[step_kind], params.get("state"))
        room.act(step_kind, actor, params, f"{role}-{seat or 'x'}")

    for state in ("KAZ", "RUS", "ARM"):
        step("delegation", state, "take_seat", state=state)
    step("delegation", "KAZ", "lodge_request", state="KAZ")
    step(
        "delegation",
        "KAZ",
        "statement",
        state="KAZ",
        text="Иностранные банды атакуют наши города — «срочно» 🚨",
    )
    step("control", None, "inject", text="Aéroport d’Almaty fermé ✈︎", kind="note")
    step("control", None, "convene")
    step("control", None, "propose", level="deployment")
    step("delegation", "KAZ", "vote", state="KAZ", position="support", reason="мы просили")
    step("delegation", "RUS", "vote", state="RUS", position="support", reason="союзнический долг")
    step("delegation", "ARM", "vote", state="ARM", position="stand_aside", reason="Հայաստան first")
    step("control", None, "close")
    step("control", None, "task_forces")
    step("control", None, "advance_clock", hours=48)
    step("control", None, "end", summary="Конец — fin ✓")


# ---------------------------------------------------------------------------------------------- comparing


def stored_rows(ledger: SqlLedger) -> list[tuple[Any, ...]]:
    """Every column of every event row as the database holds it, in seq order."""
    t = events_table
    cols = [
        t.c.seq,
        t.c.stream,
        t.c.version,
        t.c.type,
        t.c.at,
        t.c.data,
        t.c.recorded_at,
        t.c.prev_hash,
        t.c.hash,
    ]
    with ledger.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(*cols).order_by(t.c.seq))]


def meta_rows(ledger: SqlLedger) -> list[tuple[Any, ...]]:
    with ledger.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(meta_table).order_by(meta_table.c.key))]


def views(ledger: SqlLedger, scopes: list[str]) -> dict[str, Any]:
    """What a reader derives from a ledger: its verify report, head and projections."""
    head = ledger.head()
    counts: Mapping[str, int] = project(ledger, counts_by_type)
    versions: Mapping[str, int] = project(ledger, stream_versions)
    return {
        "verify": ledger.verify().to_dict(),
        "head": head.to_record() if head else None,
        "counts_by_type": dict(counts),
        "stream_versions": dict(versions),
        "snapshots": {s: replay_snapshot(ScopedLedger(ledger, s), dataset()) for s in scopes},
    }


def export_text(ledger: SqlLedger) -> str:
    buf = io.StringIO()
    ledger.export_jsonl(buf)
    return buf.getvalue()


def import_text(url: str, text: str) -> int:
    with open_ledger(url) as ledger:
        return ledger.import_jsonl(io.StringIO(text))


def assert_identical(src_url: str, dst_url: str, scopes: list[str]) -> dict[str, Any]:
    """The two ledgers hold the same rows, verify to the same head and project the same; return the views."""
    with open_ledger(src_url, create=False) as src, open_ledger(dst_url, create=False) as dst:
        src_rows, dst_rows = stored_rows(src), stored_rows(dst)
        assert len(dst_rows) == len(src_rows)
        for a, b in zip(src_rows, dst_rows, strict=True):
            assert a == b, f"seq {a[0]} differs after the round trip"
        assert meta_rows(dst) == meta_rows(src)
        src_views, dst_views = views(src, scopes), views(dst, scopes)
        assert src_views["verify"]["ok"] is True
        assert src_views["verify"]["count"] == len(src_rows)
        for key in src_views:
            assert dst_views[key] == src_views[key], f"{key} differs after the round trip"
        assert export_text(dst) == export_text(src), "re-exporting the copy gives other bytes"
        return src_views


def _sanity(scopes: list[str], v: dict[str, Any], min_events: int = 250) -> None:
    """The ledger is the realistic one: many events, many worlds, engine state for each."""
    assert v["verify"]["count"] >= min_events
    assert all(v["snapshots"][s] for s in scopes)
    assert v["counts_by_type"]["WorldOpened"] == len(scopes)
    assert v["counts_by_type"]["StatementMade"] >= 1


# ---------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """A realistic SQLite ledger, built once per module: (path, scopes). Copy it before changing it."""
    path = tmp_path_factory.mktemp("backup") / "source.db"
    scopes = build_realistic_ledger(str(path))
    return str(path), scopes


def sqlite_copy(src: str, dst: Path) -> str:
    """A consistent single-file copy of a SQLite ledger (the backup API, whatever is in its WAL)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return str(dst)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from csto.cli import main

    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------------------------- tests


def test_sqlite_export_then_import_gives_an_identical_ledger(
    sqlite_source: tuple[str, list[str]], tmp_path: Path
) -> None:
    src, scopes = sqlite_source
    with open_ledger(src, create=False) as ledger:
        text = export_text(ledger)
    dst = str(tmp_path / "restored.db")
    assert import_text(dst, text) == len(text.splitlines()) - 2
    _sanity(scopes, assert_identical(src, dst, scopes))


@pytest.mark.postgres
def test_postgresql_export_then_import_gives_an_identical_ledger(
    postgres_url_factory: Callable[[], str], tmp_path: Path
) -> None:
    src = postgres_url_factory()
    scopes = build_realistic_ledger(src, copies=2)  # written natively on PostgreSQL
    with open_ledger(src, create=False) as ledger:
        text = export_text(ledger)
    dst = postgres_url_factory()
    import_text(dst, text)
    _sanity(scopes, assert_identical(src, dst, scopes), min_events=150)
    # and out of PostgreSQL into SQLite
    lite = str(tmp_path / "from-postgres.db")
    import_text(lite, text)
    assert_identical(src, lite, scopes)


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_gives_an_identical_ledger(
    sqlite_source: tuple[str, list[str]], postgres_url: str, tmp_path: Path
) -> None:
    src, scopes = sqlite_source
    with open_ledger(src, create=False) as ledger:
        text = export_text(ledger)
    import_text(postgres_url, text)
    assert_identical(src, postgres_url, scopes)
    with open_ledger(postgres_url, create=False) as ledger:
        back_text = export_text(ledger)
    assert back_text == text
    back = str(tmp_path / "back.db")
    import_text(back, back_text)
    _sanity(scopes, assert_identical(src, back, scopes))
    figures = Path(__file__).parent / ".figures"
    figures.mkdir(exist_ok=True)
    n = len(text.splitlines()) - 2
    summary = (
        f"{n} events, SQLite → PostgreSQL → SQLite (and via `csto ledger export/import`): every column, the head "
        "hash, the projections and a replay of every exercise identical"
    )
    (figures / "backup.json").write_text(json.dumps({"events": n, "summary": summary}) + "\n")


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_cli_export_then_import_gives_an_identical_ledger(
    target: str,
    sqlite_source: tuple[str, list[str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    src, scopes = sqlite_source
    if target == "sqlite":
        first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    else:
        factory: Callable[[], str] = request.getfixturevalue("postgres_url_factory")
        first, second = factory(), factory()
    with open_ledger(src, create=False) as ledger:
        head = ledger.head()
        count = len(stored_rows(ledger))
    assert head is not None

    hops = [(src, tmp_path / "a.jsonl", first), (first, tmp_path / "b.jsonl", second)]
    for db_from, file, db_to in hops:
        code, out, err = run_cli(capsys, "ledger", "export", str(file), "--db", db_from, "--json")
        assert (code, err) == (0, ""), err
        assert json.loads(out) == {"exported": count, "file": str(file)}
        code, out, err = run_cli(capsys, "ledger", "import", str(file), "--db", db_to, "--json")
        assert (code, err) == (0, ""), err
        assert json.loads(out) == {"imported": count, "file": str(file), "head_hash": head.hash}
        code, out, err = run_cli(capsys, "ledger", "verify", "--db", db_to, "--json")
        assert code == 0 and json.loads(out)["head_hash"] == head.hash, out + err
    assert (tmp_path / "a.jsonl").read_bytes() == (tmp_path / "b.jsonl").read_bytes()
    assert_identical(src, first, scopes)
    _sanity(scopes, assert_identical(src, second, scopes))
