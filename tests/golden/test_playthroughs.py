"""Golden playthroughs: each example script, replayed line by line against its recorded transcript: the moves
the actor had before each step (``legal for``), then the step and its events (or its refusal).

Set CSTO_UPDATE_GOLDEN=1 to rewrite the transcripts after an intended change (and read the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from csto.cli import main
from csto.report.events import describe

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = Path(__file__).parent


def transcript(doc: dict) -> list[str]:  # type: ignore[type-arg]
    lines = [f"# {doc['title']}"]
    for step in doc["steps"]:
        head = f"{step['step']:02d} {step['at']} {step['actor']} {step['action']} [{step['case']}]"
        lines.append(f"   legal for {step['actor']}: {' '.join(step['legal']) or '(none)'}")
        if step["status"] == "refused":
            r = step["refusal"]
            lines.append(f"{head} REFUSED {r['article']} ({r['rule']}): {r['reason']}")
        else:
            lines.append(head)
            for e in step["events"]:
                lines.append(f"    {e['seq']:>3} {e['type']}: {describe(e['type'], e['data'])}")
    lines.append(f"cases: {json.dumps(doc['cases'], sort_keys=True)}")
    lines.append(f"chain: ok={doc['chain']['ok']} count={doc['chain']['count']}")
    return lines


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_script_replays_its_golden_transcript(script: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    try:
        main(["play", str(script), "--db", str(tmp_path / "play.db"), "--json"])
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr().err
    doc = json.loads(capsys.readouterr().out)
    assert doc["mismatches"] == 0
    assert doc["chain"]["ok"] is True
    for step in doc["steps"]:
        # a step the engine took was among the moves offered (a new case by its kind)
        if step["status"] == "ok":
            kinds = {k.split("@")[0] for k in step["legal"]}
            assert f"{step['action']}@{step['case']}" in step["legal"] or step["action"] in kinds, step
    got = transcript(doc)
    golden = GOLDEN / f"{script.stem}.txt"
    if os.environ.get("CSTO_UPDATE_GOLDEN") == "1":
        golden.write_text("\n".join(got) + "\n", encoding="utf-8")
    assert golden.exists(), f"no transcript {golden.name}: run with CSTO_UPDATE_GOLDEN=1 and review it"
    want = golden.read_text(encoding="utf-8").splitlines()
    for i, (g, w) in enumerate(zip(got, want, strict=False), 1):
        assert g == w, f"{golden.name} line {i} differs"
    assert len(got) == len(want), f"{golden.name}: {len(got)} lines now, {len(want)} recorded"


def test_every_example_is_covered_by_a_golden_transcript() -> None:
    assert {p.stem for p in EXAMPLES} == {p.stem for p in GOLDEN.glob("*.txt")}
    assert len(EXAMPLES) >= 5
