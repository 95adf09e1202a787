"""The ledger, read: its events as the reader may see them (``visibility``), page by page, on the API and in
the ledger browser, and the verification of its hash chain. Nothing here writes to the ledger.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from csto.web.deps import ApiViewer, PageViewer, State, require
from csto.web.render import render
from csto.web.state import AppState
from csto.web.store import User
from csto.web.visibility import visible

router = APIRouter()
#: The largest sequence number a ledger can hold (a signed 64-bit SQL integer).
MAX_SEQ = 2**63 - 1


def _page(st: AppState, after: int, limit: int) -> list[Any]:
    """Up to ``limit`` events after ``after``."""
    events = []
    for e in st.ledger.read(after_seq=after):
        events.append(e)
        if len(events) >= limit:
            break
    return events


@router.get("/api/ledger", tags=["ledger"])
def api_ledger(
    user: ApiViewer,
    st: State,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    return visible(_page(st, after, limit), user, st.ledger, st.ds)


@router.get("/api/ledger/verify", tags=["ledger"])
def api_verify(user: Annotated[User, Depends(require("ledger.verify"))], st: State) -> dict[str, object]:
    return st.ledger.verify().to_dict()


@router.get("/ledger", response_class=HTMLResponse, include_in_schema=False)
def ledger_page(
    request: Request,
    user: PageViewer,
    st: State,
    after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
    verify: bool = False,
) -> HTMLResponse:
    events = _page(st, after, 100)
    report = st.ledger.verify() if verify else None
    head = st.ledger.head()
    rows = visible(events, user, st.ledger, st.ds)
    return render(request, "ledger.html", user, events=rows, after=after, report=report, head=head)
