"""For search engines: ``robots.txt`` (pages welcome, the SPARQL endpoint not) and a sitemap of every page."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, abort
from werkzeug.wrappers import Response

from publisher.releases import Release
from publisher.store.queries import Queries
from publisher.tables import TABLES
from publisher.web import current, respond
from publisher.web.kept import kept
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.release import store_of
from publisher.web.urls import Urls

PAGES = ("", "def/cluster", "sparql", "dataset", "releases", "linking")
PER_SITEMAP = 50_000  # the sitemap protocol's limit of URLs per file


bp = Blueprint("discovery", __name__)


@bp.get("/robots.txt")
def robots() -> Response:
    urls = current.urls()
    lines = ("User-agent: *", f"Allow: {urls.path()}", f"Disallow: {urls.path('sparql')}")
    text = "\n".join((*lines, f"Sitemap: {urls.iri('sitemap.xml')}", ""))
    return respond.respond(
        text, "text/plain; charset=utf-8", caching=respond.DAILY, vary=(), release_dated=False
    )


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """The sitemap of all pages; an index of numbered sitemaps when there are more than 50,000."""
    urls = current.urls()
    pages = pages_of(current.release(), urls.base)
    part = whole_number("part", 0, maximum=MAX_PAGE)
    if len(pages) > PER_SITEMAP and not part:
        parts = (len(pages) + PER_SITEMAP - 1) // PER_SITEMAP
        entries = "".join(
            f"<sitemap><loc>{escape(urls.iri(f'sitemap.xml?part={n}'))}</loc></sitemap>"
            for n in range(1, parts + 1)
        )
        return _xml(
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
        )
    part = part or 1
    chunk = pages[(part - 1) * PER_SITEMAP : part * PER_SITEMAP]
    if not chunk:
        abort(404, description=f"There is no sitemap part {part}.")
    entries = "".join(f"<url><loc>{escape(page)}</loc></url>" for page in chunk)
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>')


def pages_of(release: Release, base: str) -> list[str]:
    """Every page's URL, made once per release (every subject is read: 29 s at 300,000 triples)."""

    urls = Urls.of(base)

    def made() -> list[str]:
        pages = [urls.iri(path) for path in PAGES] + [
            urls.absolute(urls.listing(t.type_word)) for t in TABLES
        ]
        # sorted here, not by ORDER BY: Oxigraph took 19 s to sort what it found in 0.8 s (300,000 triples)
        things = sorted(row["s"] for row in store_of(release).select(Queries.of(base).subjects))
        return pages + [urls.absolute(urls.local(thing)) for thing in things]

    return kept("sitemap", release, made, scope=base)


def _xml(body: str) -> Response:
    return respond.respond('<?xml version="1.0" encoding="UTF-8"?>\n' + body, "application/xml", vary=())
