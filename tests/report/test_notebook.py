"""The analysts' notebook (examples/crisis-notebook.ipynb) runs from top to bottom without an error.

It is executed with nbclient in a python3 kernel. A fresh virtual environment has ipykernel's own
``python3`` spec; where none is found, one is installed into a temporary prefix for this test only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "crisis-notebook.ipynb"
KERNEL = "python3"


@pytest.fixture
def python3_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The name of a usable python3 kernel spec, installing one into a temporary prefix if there is none."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        from ipykernel.kernelspec import install

        prefix = tmp_path / "jupyter-prefix"
        install(kernel_name=KERNEL, prefix=str(prefix))
        monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
        KernelSpecManager().get_kernel_spec(KERNEL)
    yield KERNEL


def output_text(cell: Any) -> str:
    """Everything a code cell showed: streams, results and displays, as text and HTML."""
    parts: list[str] = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        for mime in ("text/plain", "text/html"):
            data = out.get("data", {}).get(mime)
            if data:
                parts.append(data if isinstance(data, str) else "".join(data))
    return "\n".join(parts)


def test_notebook_is_stored_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert any('csto.crisis.run("kazakhstan-2022"' in c.source for c in nb.cells)


def test_notebook_runs_without_errors_and_backtests_every_episode(
    python3_kernel: str, tmp_path: Path
) -> None:
    from csto.model import load_dataset

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name=python3_kernel, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    backtest = [c for c in nb.cells if "backtest" in c.get("metadata", {}).get("tags", [])]
    assert len(backtest) == 1, "one cell is tagged 'backtest'"
    shown = output_text(backtest[0])
    episodes = [ep.id for ep in load_dataset("csto").episodes]
    assert episodes
    missing = [ep for ep in episodes if ep not in shown]
    assert not missing, f"the backtest output does not mention {missing}"
