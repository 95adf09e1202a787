"""Check the built documentation site for broken internal links and for anything loaded from outside.

Walks ``SITE/**/*.html`` with the standard library's ``html.parser``: every relative ``href``/``src`` must name
a file in the site, and every ``#anchor`` an ``id`` (or ``name``) in the target page. A ``<script src>``,
``<link href>``, ``<img src>`` or ``<iframe src>`` pointing at ``http(s)://`` or ``//`` is reported too, and so
is a stylesheet (``*.css`` or ``<style>``) that imports or loads a URL from outside: the site must work offline. Links to other sites (``<a href="https://…">``) are not checked.
Usage: ``python tools/check_links.py [SITE]`` (default ``site``); exit 0 when clean, 1 listing each problem.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Tags whose URL the browser fetches by itself when the page loads (must not be external).
LOADED = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src")}
#: Tags whose URL attribute is a link to check.
LINKS = {("a", "href"), *LOADED}
#: A stylesheet's ``@import "…"``/``@import url(…)`` or ``url(…)`` that names another site.
EXTERNAL_CSS = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?((?:https?:)?//[^"')\s;]+)""")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, str]] = []  # (line, tag, attribute, url)
        self.styles: list[tuple[int, str]] = []  # (line, text of a <style> element)
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            if (tag, name) in LINKS:
                self.links.append((self.getpos()[0], tag, name, value))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append((self.getpos()[0], data))


def _css_problems(where: str, first_line: int, text: str) -> list[str]:
    """A stylesheet's loads from outside the site, each as ``WHERE:LINE: message``."""
    return [
        f"{where}:{first_line + text.count(chr(10), 0, m.start())}: stylesheet loads {m.group(1)} from outside the site"
        for m in EXTERNAL_CSS.finditer(text)
    ]


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    page.close()
    return page


def check_site(site: Path) -> list[str]:
    """Every problem in the site, as ``FILE:LINE: message``; empty when every internal link resolves."""
    # 404.html is served by a web server for any missing path, so MkDocs writes its links from the root.
    pages = {
        p.resolve(): p for p in sorted(site.rglob("*.html")) if p.relative_to(site).as_posix() != "404.html"
    }
    parsed: dict[Path, _Page] = {}

    def page_of(path: Path) -> _Page:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    problems: list[str] = []
    for css in sorted(site.rglob("*.css")):
        problems += _css_problems(str(css), 1, css.read_text(encoding="utf-8", errors="replace"))
    for resolved, shown in pages.items():
        for line, text in page_of(resolved).styles:
            problems += _css_problems(str(shown), line, text)
        for line, tag, attr, url in page_of(resolved).links:
            where = f"{shown}:{line}"
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                if (tag, attr) in LOADED:
                    problems.append(f"{where}: <{tag} {attr}> loads {url} from outside the site")
                continue
            if parts.scheme or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            if parts.path.startswith("/"):
                problems.append(f"{where}: absolute path {url} (breaks offline and under a sub-path)")
                continue
            target = (resolved.parent / unquote(parts.path)).resolve() if parts.path else resolved
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{where}: broken link {url} (no {target.relative_to(site.resolve())})")
                continue
            if parts.fragment and target.suffix == ".html":
                anchor = unquote(parts.fragment)
                if anchor not in page_of(target).ids:
                    problems.append(f"{where}: broken anchor {url} (no id '{anchor}' in {target.name})")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0] if args else "site")
    if not site.is_dir():
        print(f"error: {site}: no built site here (run `make docs` first)", file=sys.stderr)
        return 2
    problems = check_site(site)
    for p in problems:
        print(p)
    n = len(list(site.rglob("*.html")))
    print(
        f"{n} pages checked: {len(problems)} problem(s)" if problems else f"{n} pages checked: no broken link"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
