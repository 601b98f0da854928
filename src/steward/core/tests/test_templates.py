"""Nothing we ship loads from another host: no CDN, no web fonts, no tracking pixels.

Every template under ``src/`` and every stylesheet we serve (our own and the built third-party
ones, when built) is scanned for resources or links that point off-site. Data URIs are fine,
and so is the SVG namespace that appears inside them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]
STATIC_DIST = SRC / "steward" / "static" / "dist"

#: Exact off-site URLs a template may link to (documentation, licence). Keep it short and exact.
ALLOWED_URLS: frozenset[str] = frozenset()

# An attribute that makes the browser fetch or navigate: src, href, action, srcset, poster, data,
# formaction. The value is off-site when it starts with a scheme or with "//".
_ATTR = re.compile(
    r"""\b(?P<attr>src|href|action|formaction|srcset|poster|data|hx-(?:get|post|put|patch|delete))\s*=\s*
        (?P<q>["']?)(?P<url>(?:[a-z][a-z0-9+.-]*:)?//[^"'\s>]+)""",
    re.IGNORECASE | re.VERBOSE,
)
# url(...) in CSS, in <style> blocks or style="" attributes; @import "..." too.
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?P<q>["'])(?P<url>[^"']+)""", re.IGNORECASE)
_OFFSITE = re.compile(r"^\s*(?:(?:https?|ftp):)?//", re.IGNORECASE)


def offsite_in_markup(text: str) -> list[str]:
    found = [m.group("url") for m in _ATTR.finditer(text)]
    found += [url for url in css_urls(text) if _OFFSITE.match(url)]
    return [url for url in found if url not in ALLOWED_URLS]


def css_urls(text: str) -> list[str]:
    urls = [m.group("url") for m in _CSS_URL.finditer(text)]
    urls += [m.group("url") for m in _CSS_IMPORT.finditer(text)]
    return [u.strip() for u in urls if not u.strip().lower().startswith("data:")]


def offsite_in_css(text: str) -> list[str]:
    return [url for url in css_urls(text) if _OFFSITE.match(url) and url not in ALLOWED_URLS]


def templates() -> list[Path]:
    return sorted(p for p in SRC.rglob("templates/**/*") if p.suffix in (".html", ".txt", ".xml", ".svg"))


def stylesheets() -> list[Path]:
    return sorted(SRC.rglob("static/**/*.css"))


def test_the_scan_sees_our_templates_and_stylesheets():
    names = {p.name for p in templates()}
    assert {"base.html", "object_list.html", "login.html"} <= names
    assert any(p.name == "steward.css" for p in stylesheets())


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example.com/htmx.js"></script>',
        "<link rel=stylesheet href=//fonts.example.com/css>",
        "<img SRC='http://tracker.example/p.gif'>",
        '<form action="https://elsewhere.example/post">',
        '<a hx-get="https://api.example/x">',
        '<div style="background: url(https://img.example/bg.png)">',
        "<style>@import 'https://fonts.example/inter.css';</style>",
    ],
)
def test_the_scan_catches_offsite_references(snippet):
    assert offsite_in_markup(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        '<link rel="stylesheet" href="{% static \'dist/tabler/tabler.min.css\' %}">',
        "<a href=\"{% url 'home' %}\">",
        '<a href="mailto:someone@example.org">',
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        "<i style=\"background:url('data:image/svg+xml,%3csvg xmlns=%27http://www.w3.org/2000/svg%27/%3e')\">",
        '<a href="#main">',
    ],
)
def test_the_scan_allows_local_references(snippet):
    assert offsite_in_markup(snippet) == []


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(SRC)))
def test_template_references_nothing_offsite(path):
    assert offsite_in_markup(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", stylesheets(), ids=lambda p: str(p.relative_to(SRC)))
def test_stylesheet_loads_nothing_offsite(path):
    assert offsite_in_css(path.read_text(encoding="utf-8")) == []


def test_offsite_css_is_caught():
    assert offsite_in_css("@font-face{src:url(https://fonts.example/inter.woff2)}")
    assert offsite_in_css("a{b:url( '//cdn.example/x.png' )}")
    assert offsite_in_css(".x{background:url(../img/local.png)}") == []
