"""The crisis sequence is written once, in ``csto.game``: no other module spells it out, and no template
names a step (the room's pages render the game's legal moves)."""

from __future__ import annotations

import re
from pathlib import Path

from csto.procedures import all_action_kinds

SRC = Path(__file__).resolve().parents[2] / "src" / "csto"
#: Where steps are defined (procedures, their event and action classes, the rules) or sequenced (the game).
HOMES = ("game", "procedures", "events", "rules", "actions.py")
#: A module that quotes all of these writes the crisis' order of steps.
SEQUENCE = ("convene", "propose", "close", "order_deployment")


def quoted(text: str, word: str) -> bool:
    return re.search(rf"""["']{word}["']""", text) is not None


def test_no_module_outside_the_game_spells_out_the_crisis_sequence() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.parts[0] in HOMES:
            continue
        text = path.read_text(encoding="utf-8")
        if all(quoted(text, w) for w in SEQUENCE):
            offenders.append(str(rel))
    assert not offenders, f"the crisis sequence is written outside csto.game in: {offenders}"


def test_the_game_module_does_spell_it_out() -> None:  # the check above would notice a sequence
    text = (SRC / "game" / "sequence.py").read_text(encoding="utf-8")
    assert all(quoted(text, w) for w in SEQUENCE)


def test_no_template_names_a_step() -> None:
    kinds = all_action_kinds()
    offenders = []
    for path in (SRC / "web" / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        found = sorted(k for k in kinds if quoted(text, k) or f"/step/{k}" in text or f'/{k}"' in text)
        if found:
            offenders.append((path.name, found))
    assert not offenders, f"templates name steps (render the game's legal moves instead): {offenders}"
