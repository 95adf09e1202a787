"""The room anchors its record (issue 20, part 6): when an exercise ends, a checkpoint of the whole ledger is
signed once with the room's key and kept; the after-action report (JSON, the room's page, the HTML and PDF
downloads) prints it, and ``csto ledger verify --checkpoint`` holds the database to it, catching a rewrite."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from csto.cli import main
from csto.ledger.checkpoint import generate_key
from tests.web.conftest import Api, make_app
from tests.web.test_pages import login


def _verify(
    capsys: pytest.CaptureFixture[str], db: str, cp: Path, pub: Path
) -> tuple[int, dict[str, object]]:
    try:
        main(["ledger", "verify", "--db", db, "--checkpoint", str(cp), "--key", str(pub), "--json"])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, json.loads(capsys.readouterr().out)


def test_an_ended_exercise_is_anchored_and_its_report_prints_the_checkpoint(
    web_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "room.key"
    generate_key(key)
    app = make_app(web_db, checkpoint_key=key)
    with TestClient(app) as c:
        api = Api(c)
        ex = api.create()
        assert api.get("ctl", f"/api/exercises/{ex}/aar").json()["exercise"]["checkpoint"] is None
        api.ok("ctl", ex, "inject", text="news")
        api.ok("ctl", ex, "end")
        aar = api.get("obs", f"/api/exercises/{ex}/aar").json()
        cp = aar["exercise"]["checkpoint"]
        head = api.get("ctl", "/api/health").json()
        assert cp["seq"] == head["ledger_events"] and cp["head_hash"] == head["ledger_head"]
        # signed once: a later read of the report gives the same checkpoint, even after more events
        other = api.create()
        api.ok("ctl", other, "inject", text="more")
        assert api.get("obs", f"/api/exercises/{ex}/aar").json()["exercise"]["checkpoint"] == cp
        login(c, "obs")
        page = c.get(f"/exercises/{ex}/aar").text
        assert 'id="checkpoint"' in page and cp["signature"][:20] in page
        html = c.get(f"/exercises/{ex}/aar.html").text
        assert "id=checkpoint" in html and cp["head_hash"] in html
        assert c.get(f"/exercises/{ex}/aar.pdf").status_code == 200
    file = tmp_path / "cp.json"
    file.write_text(json.dumps(cp))
    code, report = _verify(capsys, web_db, file, Path(f"{key}.pub"))
    assert code == 0 and report["ok"], report
    # someone rewrites an early event of the exercise and rehashes the rest: the checkpoint shows it
    from tests.ledger.conftest import RawSQL
    from tests.ledger.test_checkpoint import _rehash_from

    raw = RawSQL(web_db)
    data = str(raw.get(2, "data"))
    raw.set(
        2,
        "data",
        re.sub(r'"seed":\d+', '"seed":7', data) if '"seed"' in data else data.replace("}", ',"x":1}', 1),
    )
    _rehash_from(raw, 2)
    code, report = _verify(capsys, web_db, file, Path(f"{key}.pub"))
    assert code == 1 and "rewritten" in str(report["reason"])


def test_without_a_key_file_the_room_keeps_one_key_in_its_settings(web_db: str) -> None:
    first = make_app(web_db).state.csto.signing_key
    again = make_app(web_db).state.csto.signing_key
    assert first.public_key().public_bytes_raw() == again.public_key().public_bytes_raw()
