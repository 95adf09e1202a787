"""tools/check_links.py on a small fixture site: it finds each kind of broken link, and passes a clean site."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tools.check_links import check_site

FIXTURE = Path(__file__).parent / "fixtures" / "broken"
ROOT = Path(__file__).parents[2]


def test_every_kind_of_broken_link_is_named_with_its_file_and_line() -> None:
    problems = check_site(FIXTURE)
    assert len(problems) == 5, problems
    text = "\n".join(problems)
    assert "index.html:4: <script src> loads https://cdn.example.org/lib.js from outside the site" in text
    assert "index.html:10: broken link missing.html" in text
    assert "index.html:11: broken anchor sub/page.html#nowhere" in text
    assert "index.html:12: absolute path /images/logo.png" in text
    assert "style.css:2: stylesheet loads https://cdn.example.org/theme.css from outside the site" in text


def test_a_site_whose_links_all_resolve_passes(tmp_path: Path) -> None:
    site = tmp_path / "clean"
    shutil.copytree(FIXTURE, site)
    index = site / "index.html"
    kept = [
        line
        for line in index.read_text().splitlines()
        if not any(bad in line for bad in ("cdn.example.org", "missing.html", "#nowhere", "/images/"))
    ]
    index.write_text("\n".join(kept))
    (site / "style.css").write_text("body { font-family: sans-serif; }\n")
    assert check_site(site) == []


def test_the_command_exits_1_listing_the_problems_and_2_without_a_site(tmp_path: Path) -> None:
    run = [sys.executable, str(ROOT / "tools" / "check_links.py")]
    broken = subprocess.run([*run, str(FIXTURE)], capture_output=True, text=True)
    assert broken.returncode == 1
    assert "5 problem(s)" in broken.stdout
    missing = subprocess.run([*run, str(tmp_path / "nothing")], capture_output=True, text=True)
    assert missing.returncode == 2
    assert "no built site" in missing.stderr
