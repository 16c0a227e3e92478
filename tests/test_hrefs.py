"""The one rule for links made from IRIs (publisher/web/hrefs.py): what a browser would follow to an http(s)
address may be a link, everything else is text; and every template link to an IRI goes through the rule."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publisher.web.hrefs import linkable

TEMPLATES = Path(__file__).resolve().parent.parent / "publisher" / "web" / "templates"
# Local paths the views build from the configured prefix, never from data or a query.
VIEW_PATHS = {
    *("prefix", "document", "calendar", "next_page", "example_local"),
    *("memento.current", "memento.timemap"),  # publisher.web.memento's note on an older version's page
}


@pytest.mark.parametrize(
    "href",
    [
        "http://example.org/a",
        "https://example.org/a?b=c#d",
        "HTTPS://EXAMPLE.ORG/",
        "//example.org/protocol-relative",
        "/doc/initiative/ini-one",
        "/doc/initiative/x:y",
        "?lang=en",
        "#section",
        "relative/path",
        "  https://example.org/padded  ",
    ],
)
def test_http_iris_and_local_paths_are_links(href: str) -> None:
    assert linkable(href)


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(document.domain)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "jav\rascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "mailto:someone@example.org",
        "urn:isbn:0451450523",
        "ftp://example.org/",
        "http://[::1",
        "",
        " \t\n",
        None,
        42,
    ],
)
def test_other_schemes_and_non_strings_are_text(href: object) -> None:
    assert not linkable(href)


def _linked_expressions(template: str) -> set[str]:
    return set(re.findall(r'href="\{\{\s*([^\s|}]+)', template))


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_every_template_link_to_an_iri_goes_through_the_rule(path: Path) -> None:
    template = path.read_text(encoding="utf-8")
    unchecked = {
        expression
        for expression in _linked_expressions(template) - VIEW_PATHS
        if not re.search(rf"{re.escape(expression)} is linkable", template)
    }
    assert unchecked == set(), f"{path.name}: wrap these links in {{% if ... is linkable %}}"


def test_the_query_page_script_applies_the_same_rule() -> None:
    script = (TEMPLATES.parent / "static" / "sparql.js").read_text(encoding="utf-8")
    assert re.search(r'binding\.type === "uri" && linkable\(binding\.value\)', script)
    assert script.count(".href =") == 1, "sparql.js makes links in one place only"
