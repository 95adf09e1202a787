"""The dataset cache on disk: a second process reads the validated dataset without parsing, an edited file
or a changed model is never served stale, and bad input is still named by file, line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csto.errors import DataError
from csto.model import alliance, dataset_cache, diskcache, load_dataset
from csto.model.alliance import package_data_root


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CSTO_CACHE_DIR", str(tmp_path / "cache"))
    dest = tmp_path / "data"
    shutil.copytree(package_data_root() / "csto", dest)
    alliance._load_dir.cache_clear()
    yield dest
    alliance._load_dir.cache_clear()


def _fresh_load(path: Path):  # type: ignore[no-untyped-def]
    alliance._load_dir.cache_clear()  # as a new process would
    return load_dataset(data_dir=path)


def test_a_second_process_reads_the_dataset_from_the_cache(data: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    first = _fresh_load(data)
    assert len(list((data.parent / "cache" / "datasets").iterdir())) == 1

    def refuse(*a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again although the cache has it")

    monkeypatch.setattr(alliance, "_read_dir", refuse)
    again = _fresh_load(data)
    assert again == first


def test_an_edited_file_is_read_again_never_served_stale(data: Path) -> None:
    _fresh_load(data)
    f = data / "alliance.yaml"
    text = f.read_text(encoding="utf-8")
    old = _fresh_load(data).info.name
    f.write_text(text.replace(f"name: {old}", "name: Edited Alliance", 1), encoding="utf-8")
    assert _fresh_load(data).info.name == "Edited Alliance"


def test_bad_input_after_a_warm_cache_is_named_by_file_line_and_field(data: Path) -> None:
    _fresh_load(data)
    f = data / "alliance.yaml"
    lines = f.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("founded:"))
    lines[i] = "founded: not-a-date"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        _fresh_load(data)
    assert exc.value.line == i + 1 and exc.value.field == "founded"
    assert exc.value.file is not None and exc.value.file.endswith("alliance.yaml")


def test_a_changed_model_changes_the_key(data: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = dataset_cache.key_for(str(data), "d")
    diskcache.code_digest.cache_clear()
    monkeypatch.setattr(diskcache, "files_digest", lambda paths: "another schema")
    try:
        assert dataset_cache.key_for(str(data), "d") != before
    finally:
        diskcache.code_digest.cache_clear()


def test_a_damaged_entry_is_a_miss(data: Path) -> None:
    first = _fresh_load(data)
    (entry,) = (data.parent / "cache" / "datasets").iterdir()
    entry.write_bytes(b"not a pickle")
    assert _fresh_load(data) == first


def test_the_cache_can_be_turned_off(data: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CSTO_CACHE", "off")
    _fresh_load(data)
    assert not (data.parent / "cache").exists()
