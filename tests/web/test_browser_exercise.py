"""One full exercise in a real browser: Control and three human delegations (KAZ, RUS, ARM), each in its
own Chromium context, with an observer watching; the decision model holds the other seats (BLR, KGZ, TJK).

Kazakhstan, January 2022: KAZ lodges its request under Article 4, Control convenes the Council and tables
a deployment, KAZ and RUS support it and ARM stands aside (a departure from the model). Control closes the
round, tasks the forces and moves the clock so the units land in Almaty; the map shows them, the other
rooms follow live over SSE, and the after-action report (page and PDF) records the votes and the outcome.

The test also writes the screenshots under ``docs/screenshots/``. It drives Debian's Chromium
(``/usr/bin/chromium``), never a Playwright-downloaded browser; without it, it skips (or fails under
``CSTO_REQUIRE_ALL=1``).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import require_or_skip
from tests.web.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
T = 10_000  # ms: the longest any single expectation may take
HEAVY = 60_000  # ms: for pages the server draws charts or a PDF for (slow on a loaded machine)

#: Injected in every page: remembers the last SSE update seen, so the test can wait for a room to settle.
TRACK_SSE = """
window.__csto = { sse: null };
document.addEventListener("htmx:sseMessage", function (e) {
  if (e.detail && e.detail.data !== undefined) window.__csto.sse = String(e.detail.data);
});
"""

#: True once a room page shows ``v``: the SSE update for it has arrived, the panel it triggered is in
#: place, and htmx has finished swapping and settling (so a form typed into now is not swapped away).
SETTLED = """
v => {
  const panel = document.querySelector("#panel");
  return !!panel && !!window.__csto && window.__csto.sse === v && panel.dataset.version === v
    && !document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added");
}
"""

DEBUG = """() => ({
  sse: window.__csto && window.__csto.sse,
  panel: document.querySelector("#panel") && document.querySelector("#panel").dataset.version,
  busy: Array.from(document.querySelectorAll(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"))
    .map(e => e.tagName + "#" + e.id + "." + e.className),
})"""


@pytest.fixture
def chromium() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        require_or_skip("Chromium not available: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a test dependency
        require_or_skip("Playwright not available: pip install playwright")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def test_full_exercise_in_the_browser(live_server: Callable[..., str], chromium: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=T)
    base = live_server()
    contexts: list[Any] = []
    opened: dict[str, Any] = {}  # user → page, for the post-mortem
    script_errors: list[str] = []  # uncaught errors on any page: there must be none

    tok = httpx.post(f"{base}/api/token", json={"username": "ctl", "password": PASSWORD}).json()["token"]
    api = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {tok}"}, timeout=10)

    def open_as(user: str, path: str = "/") -> Any:
        """A fresh browser context logged in as ``user``, on ``path``."""
        ctx = chromium.new_context(viewport=VIEWPORT, base_url=base)
        contexts.append(ctx)
        ctx.set_default_timeout(T)
        ctx.add_init_script(TRACK_SSE)
        page = ctx.new_page()
        opened[user] = page
        page.on("pageerror", lambda exc: script_errors.append(f"{user}: {exc}"))
        # the Content-Security-Policy blocks nothing the pages need (issue 20): no violation in the console
        page.on(
            "console",
            lambda msg: (
                script_errors.append(f"{user}: {msg.text}") if "Content Security Policy" in msg.text else None
            ),
        )
        page.goto(f"/login?next={path}")
        page.fill("#username", user)
        page.fill("#password", PASSWORD)
        page.click("main form button[type=submit]")
        expect(page).to_have_url(re.compile(re.escape(base + path) + r"$"))
        expect(page.locator("#who")).to_be_visible()
        return page

    try:
        # ---- 1. Control logs in (dashboard), creates the exercise and lands in the room
        ctl = open_as("ctl", "/")
        expect(ctl.locator("#dashboard-map")).to_have_attribute("data-state", "ready")
        expect(ctl.locator("#dashboard-map .country.member").first).to_be_attached()
        expect(ctl.locator("#members")).to_contain_text("Kazakhstan")
        expect(ctl.locator("#members")).not_to_contain_text("None")

        ctl.goto("/exercises")
        ctl.fill("#title", "Almaty, January 2022")
        ctl.select_option("#scenario", "kazakhstan-2022")
        ctl.click("#new-exercise button[type=submit]")
        expect(ctl).to_have_url(re.compile(r"/exercises/x[0-9a-f]{8}$"))
        room = ctl.url.removeprefix(base)
        ex_id = room.rsplit("/", 1)[1]
        expect(ctl.locator("h1")).to_contain_text("Almaty, January 2022")
        expect(ctl.locator("#phase")).to_have_text("awaiting request")

        def state() -> dict[str, Any]:
            r = api.get(f"/api/exercises/{ex_id}")
            assert r.status_code == 200, r.text
            out: dict[str, Any] = r.json()
            return out

        # ---- 2. three delegations and an observer open the room, each in a context of its own
        kaz, rus, arm = (open_as(u, room) for u in ("kaz", "rus", "arm"))
        obs = open_as("obs", room)
        pages = [ctl, kaz, rus, arm, obs]

        def settle(*only: Any) -> int:
            """Wait until every room page (or ``only`` these) shows the room's current version. If the room
            moved on while we waited (its version read again differs), settle on the new version instead:
            a page that is behind the room it was sent, or ahead of a room that did not move, fails."""
            for _ in range(3):
                v = state()["version"]
                moved = False
                for p in only or pages:
                    try:
                        p.wait_for_function(SETTLED, arg=str(v), timeout=T)
                    except Exception:
                        if state()["version"] != v:
                            moved = True
                            break
                        info = p.evaluate(DEBUG)
                        raise AssertionError(f"{p.url} did not settle at version {v}: {info}") from None
                if not moved:
                    return int(v)
            raise AssertionError(f"the room kept moving past version {v} while its pages settled")

        for page, iso3 in ((kaz, "KAZ"), (rus, "RUS"), (arm, "ARM")):
            settle(page)
            page.click("#move-take_seat")
            expect(page.locator("#actions")).to_contain_text(f"You hold the seat of {iso3}")
        settle()
        for iso3, user in (("KAZ", "kaz"), ("RUS", "rus"), ("ARM", "arm")):
            expect(obs.locator(f'#seats li[data-state="{iso3}"]')).to_contain_text(f"delegation {user}")
        expect(obs.locator('#seats li[data-state="BLR"]')).to_contain_text("decision model")
        expect(obs.locator("#actions")).to_contain_text("Observers follow the room")

        # ---- 3. KAZ lodges its request and makes a statement
        expect(rus.locator("#move-request_assistance")).to_have_count(0)  # only the requester lodges
        kaz.click("#move-request_assistance")
        expect(kaz.locator("#phase")).to_have_text("request lodged: convene the Council")
        settle(kaz)
        statement = "Kazakhstan faces a terrorist threat and asks its allies for help under Article 4."
        kaz.fill("#make_statement-text", statement)
        kaz.click("#move-make_statement")
        expect(kaz.locator("#timeline")).to_contain_text(statement)
        settle()
        expect(obs.locator("#timeline")).to_contain_text(statement)
        expect(obs.locator("#phase")).to_have_text("request lodged: convene the Council")
        # a live update does not wipe what another delegation is typing
        draft = "Armenia asks for more time to consult"
        arm.fill("#make_statement-text", draft)
        rus.fill("#make_statement-text", "Russia stands with Kazakhstan.")
        rus.click("#move-make_statement")
        settle()
        expect(arm.locator("#timeline")).to_contain_text("Russia stands with Kazakhstan.")
        expect(arm.locator("#make_statement-text")).to_have_value(draft)
        arm.fill("#make_statement-text", "")

        # ---- 4. Control convenes the Council and tables a deployment
        ctl.click("#move-convene")
        expect(ctl.locator("#phase")).to_have_text("in session: table a proposal")
        settle(ctl)
        ctl.select_option("#propose-level", "deployment")
        ctl.click("#move-propose")
        expect(ctl.locator("#phase")).to_have_text("in session: vote open")
        expect(ctl.locator("#proposal")).to_have_text("deployment")
        settle()

        # ---- 5. the delegations vote, with reasons; an empty reason is an inline error, not a vote
        expect(kaz.locator("#form-move-vote")).to_have_attribute("data-seat", "KAZ")
        expect(kaz.locator("#form-move-vote")).to_have_class(re.compile(r"\bexpected\b"))
        before = state()
        kaz.check('input[name=position][value="support"]')
        kaz.click("#move-vote")
        error = kaz.locator('.field-error[data-field="vote@crisis.reason"]')
        expect(error).to_be_visible()
        expect(error).to_contain_text("a vote needs a reason")
        after = state()
        assert "KAZ" not in after["ballot"]["positions"]
        assert after["version"] == before["version"], "a refused vote must record nothing"
        expect(kaz.locator("input[name=position][value=support]")).to_be_checked()  # the form kept it

        votes = (
            (kaz, "KAZ", "support", "The violence in Almaty is beyond our police; we ask for a deployment."),
            (rus, "RUS", "support", "An ally asks under Article 4; Russia will lead the contingent."),
            (
                arm,
                "ARM",
                "stand_aside",
                "Armenia chairs the Council and will not block, but sends no troops.",
            ),
        )
        for page, iso3, position, reason in votes:
            settle(page)
            if iso3 == "ARM":  # a delegation's room during the vote: KAZ and RUS have spoken
                expect(arm.locator('#seats li[data-state="RUS"]')).to_contain_text("support")
                shot(arm, "room-vote.png")
            page.check(f'input[name=position][value="{position}"]')
            page.fill("#vote-reason", reason)
            page.click("#move-vote")
            seat = page.locator(f'#seats li[data-state="{iso3}"]')
            expect(seat.locator(".reason")).to_have_text(reason)
            expect(page.locator(".field-error")).to_have_count(0)
        positions = state()["ballot"]["positions"]
        assert {k: positions[k] for k in ("KAZ", "RUS", "ARM")} == {
            "KAZ": "support",
            "RUS": "support",
            "ARM": "stand_aside",
        }
        assert set(positions) >= {"BLR", "KGZ", "TJK"}, "the model votes for the seats no one holds"

        # ---- 6. Control closes the round; the other rooms follow live, without a reload
        settle()
        for p in pages:
            p.evaluate("window.__sameDocument = true")
        ctl.click("#move-close")
        decided = "deployment decided: task the forces"
        expect(ctl.locator("#phase")).to_have_text(decided)
        for p in (obs, kaz, arm):
            expect(p.locator("#phase")).to_have_text(decided)  # pushed over SSE
        for p in pages:
            assert p.evaluate("window.__sameDocument === true"), "the page was reloaded"
        expect(obs.locator("#form-move-vote")).to_have_count(0)
        expect(kaz.locator("#form-move-vote")).to_have_count(0)

        # ---- 7. Control tasks the forces and moves the clock 96 hours: the units arrive (the airlift's
        # expected timeline has them all in about 73 hours after the order)
        settle(ctl)
        ctl.click("#move-task_forces")
        expect(ctl.locator("#phase")).to_have_text("deployment ordered")
        expect(ctl.locator("#outcome")).to_have_text("deployment")
        settle(ctl)
        ctl.fill("#advance_clock-hours", "96")
        ctl.click("#move-advance_clock")
        expect(ctl.locator("#phase")).to_have_text("deployment operating")
        expect(ctl.locator("#on-ground")).to_contain_text("personnel on the ground")
        dep = state()["deployment"]
        assert dep["on_ground"] > 0 and dep["on_ground"] == dep["tasked"]
        assert "ARM" not in dep["by_state"], "Armenia stood aside: it sends no troops"
        expect(ctl.locator("#on-ground")).to_contain_text(f"{dep['on_ground']:,} of {dep['tasked']:,}")

        # ---- 8. the map shows the deployment, in Control's room and (live) in Kazakhstan's
        settle()
        for p in (ctl, kaz):
            marker = p.locator("svg.csto-map .deployment-marker")
            expect(p.locator("#room-map")).to_have_attribute("data-state", "ready")
            expect(marker).to_have_count(1)
            assert float(marker.get_attribute("data-on-ground") or 0) == dep["on_ground"] > 0
        expect(ctl.locator("svg.csto-map .deployment-label")).to_contain_text("on the ground")
        ctl.evaluate("window.scrollTo(0, 0)")
        shot(ctl, "room-deployed.png", full_page=False)  # the long timeline would dwarf the map

        # ---- 9. Control ends the exercise (confirming the dialog); the report has the votes and outcome
        ctl.once("dialog", lambda d: d.accept())
        ctl.click("#move-end_exercise")
        expect(ctl.locator("#phase")).to_have_text("ended")
        expect(obs.locator("#aar-link")).to_be_visible()  # live again
        expect(obs.locator("#phase")).to_have_text("ended")
        ctl.click("#aar-link", timeout=HEAVY)  # the report draws its troop curve
        expect(ctl).to_have_url(re.compile(re.escape(f"{room}/aar") + "$"))
        expect(ctl.locator("#aar-outcome")).to_have_text("deployment")
        expect(ctl.locator("h3").first).to_contain_text("deployment — adopted")
        for _, iso3, position, reason in votes:
            row = ctl.locator("tr", has=ctl.locator("td", has_text=re.compile(f"^{iso3}$")))
            expect(row).to_contain_text(reason)
            expect(row).to_contain_text(position.replace("_", " "))
        expect(ctl.locator("#departures")).to_contain_text("ARM")
        expect(ctl.locator("main")).to_contain_text(statement)
        shot(ctl, "aar.png")
        pdf = ctl.request.get(ctl.locator("#aar-pdf").get_attribute("href") or "", timeout=HEAVY)
        assert pdf.status == 200
        assert pdf.headers["content-type"].startswith("application/pdf")
        assert pdf.body().startswith(b"%PDF")

        # ---- the scenario runner and the ledger
        ctl.goto("/scenarios")
        ctl.select_option("#run-scenario", "armenia-2022")
        ctl.fill("#trials", "500")
        ctl.click("#run")
        odds = ctl.locator("#odds")
        expect(odds).to_contain_text("500 trials", timeout=HEAVY)
        expect(odds.locator("img")).to_have_count(2)
        for img in odds.locator("img").all():
            assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        shot(ctl, "scenario-runner.png")

        ctl.goto("/ledger?verify=1")
        expect(ctl.locator("#verify-result")).to_contain_text("Chain verified")
        expect(ctl.locator("#ledger-table tbody tr").first).to_be_visible()
        shot(ctl, "ledger.png")

        ctl.goto("/")  # the dashboard, now with the exercise among the recent ones
        expect(ctl.locator("#dashboard-map")).to_have_attribute("data-state", "ready")
        expect(ctl.locator(f'main a[href="{room}"]')).to_have_text("Almaty, January 2022")
        shot(ctl, "dashboard.png")

        assert not script_errors, script_errors
    except BaseException:
        # post-mortem: what each page showed and where its live updates stood
        for user, page in opened.items():
            with contextlib.suppress(Exception):
                page.screenshot(path=str(tmp_path / f"failed-{user}.png"), full_page=True)
                print(f"{user}: {page.url} {page.evaluate(DEBUG)} (screenshot in {tmp_path})")
        raise
    finally:
        expect.set_options(timeout=5_000)  # Playwright's default, for any later test
        api.close()
        for ctx in contexts:
            ctx.close()
