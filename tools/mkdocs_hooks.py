"""MkDocs hooks (mkdocs.yml ``hooks:``): the pages and files the docs build generates from the code itself.

- ``reference/cli.md``: the CLI reference, walked from the Typer app's command tree (no copy of ``--help``).
- ``reference/openapi.json``: the exercise room's OpenAPI document, from the FastAPI app.
- ``tutorials/csto-in-one-lesson.pdf``: the teacher's handout, from the ``<!-- handout -->`` sections of
  ``tutorials/teacher.md`` (the same source as the page), rendered with fpdf2.
It also names the page (and, for a notebook, the cell) when a tutorial's code fails, which fails the build.
Nothing here is part of the csto package; it must not write into ``docs/`` (only into the build).
"""

from __future__ import annotations

import html
import json
import logging
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.csto")

CLI_PAGE = "reference/cli.md"
OPENAPI = "reference/openapi.json"
TEACHER_PAGE = "tutorials/teacher.md"
HANDOUT = "tutorials/csto-in-one-lesson.pdf"


# --- the CLI reference -------------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text for a Markdown table cell: HTML escaped, pipes escaped, one line."""
    return html.escape(" ".join(text.split())).replace("|", "\\|")


def _command_md(cmd: Any, ctx: Any, path: list[str], out: list[str]) -> None:
    from typer._click.core import Context

    depth = min(len(path), 4)
    out.append(f"{'#' * (depth + 1)} `{' '.join(path)}`\n")
    if cmd.help:
        out.append(html.escape(cmd.help.strip()) + "\n")
    usage = cmd.get_usage(ctx).removeprefix("Usage: ").strip()
    out.append(f"```\n{usage}\n```\n")
    rows = []
    for param in cmd.params:
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        kind = "argument" if param.param_type_name == "argument" else "option"
        rows.append(f"| `{names}` | {kind} | {_cell(help_text or '')} |")
    if rows:
        out.append("| Name | Kind | Help |\n|---|---|---|")
        out.extend(rows)
        out.append("")
    subcommands = getattr(cmd, "commands", {})
    for name, sub in subcommands.items():
        if getattr(sub, "hidden", False):
            continue
        _command_md(sub, Context(sub, info_name=name, parent=ctx), [*path, name], out)


def cli_reference() -> str:
    """The whole command tree of ``csto`` as Markdown, from the Typer app itself."""
    import typer.main
    from typer._click.core import Context

    from csto.cli import app

    root = typer.main.get_command(app)
    out = [
        "# CLI reference\n",
        "Generated at build time from the Typer app (`csto.cli.app`): every command, its usage, its arguments "
        "and options with their help, exactly as `csto COMMAND --help` gives them. Every command also takes "
        "`--debug` (a traceback instead of the one-line error).\n",
    ]
    _command_md(root, Context(root, info_name="csto"), ["csto"], out)
    return "\n".join(out) + "\n"


# --- the OpenAPI document ----------------------------------------------------------------------------------


def openapi_document() -> str:
    """The exercise room's OpenAPI document, from the FastAPI app on a throw-away SQLite ledger."""
    from csto.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(str(Path(tmp) / "openapi.db"), secret="docs-build")
        doc = app.openapi()
        app.state.csto.ledger.engine.dispose()
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


# --- the teacher's handout ---------------------------------------------------------------------------------

_HANDOUT = re.compile(r"<!-- handout -->(.*?)<!-- /handout -->", re.S)


def membership_table() -> str:
    """Every state that was ever a party, with its dated status intervals, from the bundled data."""
    from csto.model import load_dataset

    rows = ["| State | Status over time |", "|---|---|"]
    for state in load_dataset("csto").states:
        spans = [f"{m.status} {m.start.year}-{m.end.year if m.end else 'today'}" for m in state.memberships]
        rows.append(f"| {state.name} | {'; '.join(spans)} |")
    return "\n".join(rows)


def handout_markdown(page: str) -> str:
    """The handout's Markdown: the page's ``<!-- handout -->`` … ``<!-- /handout -->`` sections, in order,
    with ``<!-- handout:members -->`` replaced by the membership table from the data."""
    parts = [m.group(1).strip() for m in _HANDOUT.finditer(page)]
    if not parts:
        raise ValueError(f"{TEACHER_PAGE}: no <!-- handout --> section to build the handout from")
    return "\n\n".join(parts).replace("<!-- handout:members -->", membership_table())


def handout_pdf(markdown_text: str) -> bytes:
    """The handout as an A4 PDF: the Markdown rendered to HTML, then set with fpdf2's core Helvetica."""
    import markdown
    from fpdf import FPDF

    from csto.report.aar_pdf import latin1

    body = markdown.markdown(latin1(markdown_text), extensions=["tables"])
    body = re.sub(r"</?code>", "", body)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 15, 18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.write_html(body)
    return bytes(pdf.output())


# --- the hook ----------------------------------------------------------------------------------------------


def on_files(files: Files, config: Any) -> Files:
    """Add the generated CLI page, the OpenAPI document and the handout to the build."""
    stub = files.get_file_from_path(CLI_PAGE)  # docs/reference/cli.md: a pointer for readers on GitHub
    if stub is not None:
        files.remove(stub)
    files.append(File.generated(config, CLI_PAGE, content=cli_reference()))
    files.append(File.generated(config, OPENAPI, content=openapi_document()))
    teacher = Path(config["docs_dir"]) / TEACHER_PAGE
    if teacher.exists():
        pdf = handout_pdf(handout_markdown(teacher.read_text(encoding="utf-8")))
        files.append(File.generated(config, HANDOUT, content=pdf))
    return files


# --- where a tutorial's code failed --------------------------------------------------------------------------


class _PageOfRecord(logging.Filter):
    """Prefix markdown-exec's warnings (a failed code block) with the page being built."""

    page: str | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if self.page and "markdown_exec" in record.name and record.levelno >= logging.WARNING:
            record.msg = f"{self.page}: {record.msg}"
        return True


_CURRENT = _PageOfRecord()
_STARTED: dict[str, float] = {}


def on_config(config: Any) -> Any:
    for handler in logging.getLogger("mkdocs").handlers:
        if _CURRENT not in handler.filters:
            handler.addFilter(_CURRENT)
    return config


def failed_cell(nb_path: Path, message: str) -> str:
    """``cell N (code cell K)``: where the cell whose source nbclient quotes sits in the notebook (both from 1)."""
    match = re.search(r"executing the following cell:\n-+\n(.*?)\n-+\n", message, re.S)
    if not match:
        return "a cell"
    source = match.group(1).strip()
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    code = 0
    for i, cell in enumerate(cells, 1):
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        code += cell["cell_type"] == "code"
        if cell["cell_type"] == "code" and text.strip() == source:
            return f"cell {i} (code cell {code})"
    return "a cell"


def on_pre_page(page: Page, config: Any, files: Files) -> Page:
    """Name the page for markdown-exec's warnings; wrap a notebook's render to name its failing cell."""
    _CURRENT.page = f"docs/{page.file.src_uri}"
    if page.file.src_uri.endswith(".ipynb"):
        render = page.render
        nb_path = Path(page.file.abs_src_path or "")

        def checked_render(*args: Any, **kwargs: Any) -> Any:
            try:
                return render(*args, **kwargs)
            except Exception as exc:
                if type(exc).__name__ != "CellExecutionError":
                    raise
                ename = getattr(exc, "ename", "error")
                evalue = getattr(exc, "evalue", "")
                where = failed_cell(nb_path, str(exc))
                raise PluginError(
                    f"docs/{page.file.src_uri}: {where} failed: {ename}: {evalue}\n{exc}"
                ) from None

        page.render = checked_render  # type: ignore[method-assign]
    return page


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    _STARTED[page.file.src_uri] = time.perf_counter()
    return markdown


def on_page_content(html_text: str, page: Page, config: Any, files: Files) -> str:
    """Log how long the page took to render (its code runs here), for keeping the build fast."""
    started = _STARTED.pop(page.file.src_uri, None)
    if started is not None:
        log.info("rendered %s in %.1f s", page.file.src_uri, time.perf_counter() - started)
    _CURRENT.page = None
    return html_text
