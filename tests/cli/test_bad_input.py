"""Bad input gets one clear message (file, line, field, expected), exit code 2 and no traceback."""

from __future__ import annotations

from pathlib import Path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def assert_clean_error(r, *parts: str) -> None:  # type: ignore[no-untyped-def]
    assert r.code == 2, (r.code, r.out, r.err)
    assert "Traceback" not in r.err and "Traceback" not in r.out
    assert r.err.startswith("error: ")
    assert len(r.err.strip().splitlines()) == 1
    for p in parts:
        assert p in r.err, (p, r.err)


def test_a_user_dataset_loads_with_data(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--data", str(dataset_copy), "--at", "2025-01-01", "--json")
    assert r.code == 0
    assert len(r.json()["members"]) == 6


def test_malformed_field_names_file_line_field_and_expected(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    members = dataset_copy / "members.yaml"
    needle = "status: frozen"
    line = line_of(members, needle)
    replace_in(members, needle, "status: dormant")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, f"members.yaml:{line}", "memberships", "status", "dormant", "expected")


def test_missing_field_names_the_record(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    alliance = dataset_copy / "alliance.yaml"
    line = line_of(alliance, "full_name:")
    replace_in(alliance, alliance.read_text().splitlines()[line - 1], "")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "alliance.yaml:", "full_name", "missing required field")


def test_bad_date_in_data(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    alliance = dataset_copy / "alliance.yaml"
    replace_in(alliance, "founded: 1992-05-15", "founded: 1992-15-05")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "alliance.yaml:", "founded", "date")


def test_yaml_syntax_error_has_a_line(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    bodies = dataset_copy / "bodies.yaml"
    bodies.write_text(bodies.read_text() + "\n  - [unclosed\n")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "bodies.yaml:", "YAML")


def test_unknown_source_key(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    alliance = dataset_copy / "alliance.yaml"
    replace_in(alliance, "source: wikipedia_csto", "source: no_such_source")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "alliance.yaml:", "no_such_source", "sources.yaml")


def test_unknown_state_code(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    forces = dataset_copy / "forces.yaml"
    replace_in(forces, "state: KGZ", "state: XYZ")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "forces.yaml:", "XYZ", "ISO3")


def test_unknown_field_is_reported_as_a_typo(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    alliance = dataset_copy / "alliance.yaml"
    replace_in(alliance, "lead_state: RUS", "lead_state: RUS\nleed_state: RUS")
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "alliance.yaml:", "leed_state", "unknown field")


def test_missing_file(cli, dataset_copy: Path) -> None:  # type: ignore[no-untyped-def]
    (dataset_copy / "treaty.yaml").unlink()
    r = cli("info", "--data", str(dataset_copy))
    assert_clean_error(r, "treaty.yaml", "missing file")


def test_missing_data_directory(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--data", str(tmp_path / "nope"))
    assert_clean_error(r, "--data", "does not exist")


def test_bad_at_date(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_error(cli("info", "--at", "2012-02-30"), "--at", "YYYY-MM-DD")
    assert_clean_error(cli("info", "--at", "yesterday"), "--at")


def test_unknown_alliance_lists_the_available(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_error(cli("info", "--alliance", "seato"), "seato", "csto")


def test_unknown_article_and_episode(cli) -> None:  # type: ignore[no-untyped-def]
    assert_clean_error(cli("treaty", "99"), "99", "expected one of")
    assert_clean_error(cli("episodes", "show", "atlantis-1999"), "atlantis-1999")


def test_debug_shows_the_traceback(cli, capsys) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from csto.cli import main
    from csto.errors import InputError

    with pytest.raises(InputError):
        main(["info", "--at", "nonsense", "--debug"])


def test_json_errors_are_machine_readable(cli) -> None:  # type: ignore[no-untyped-def]
    r = cli("info", "--at", "nonsense", "--json")
    assert r.code == 2
    assert '"field": "--at"' in r.err
