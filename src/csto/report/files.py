"""Report figures and files: a Matplotlib figure as PNG bytes, and writing files atomically (a temporary file
beside the target, then a rename into place).

So a reader never sees half a file, and a failure leaves the old file (or none) behind.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Any

DPI = 130


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (creating the folder); readable by all (0644)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for reading
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_png(fig: Any, path: str | Path, **savefig: Any) -> Path:
    """Render a Matplotlib figure to PNG and write it atomically."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", **savefig)
    return write_atomic(path, buf.getvalue())


def png_bytes(fig: Any, dpi: int = DPI) -> bytes:
    """A Matplotlib figure drawn on the Agg canvas (no pyplot state) as a tight PNG on white; then cleared."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    fig.clear()
    return buf.getvalue()
