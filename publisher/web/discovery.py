"""For search engines: ``robots.txt`` (pages welcome, the SPARQL endpoint not) and a sitemap of every page."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Flask, abort, current_app
from werkzeug.wrappers import Response

from publisher.release import Release
from publisher.settings import Settings
from publisher.tables import TABLES
from publisher.web.kept import kept
from publisher.web.params import MAX_PAGE, whole_number
from publisher.web.release import conditional, current_or_503, prefix_of, store_of

PAGES = ("", "def/cluster", "sparql", "dataset", "releases", "linking")
PER_SITEMAP = 50_000  # the sitemap protocol's limit of URLs per file
# sorted here, not by ORDER BY: Oxigraph took 19 s to sort what it found in 0.8 s (300,000 triples)
THINGS = 'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), "BASEid/")) }'


def init_app(app: Flask, settings: Settings) -> None:
    prefix = prefix_of(settings)
    app.add_url_rule(f"{prefix}/robots.txt", "robots", robots)
    app.add_url_rule(f"{prefix}/sitemap.xml", "sitemap", sitemap)


def _settings() -> Settings:
    settings: Settings = current_app.config["SETTINGS"]
    return settings


def robots() -> Response:
    settings = _settings()
    prefix = prefix_of(settings)
    text = (
        f"User-agent: *\nAllow: {prefix}/\nDisallow: {prefix}/sparql\nSitemap: {settings.base}sitemap.xml\n"
    )
    response = Response(text, content_type="text/plain; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def sitemap() -> Response:
    """The sitemap of all pages; an index of numbered sitemaps when there are more than 50,000."""
    settings = _settings()
    base = settings.base
    pages = pages_of(current_or_503(), base)
    part = whole_number("part", 0, maximum=MAX_PAGE)
    if len(pages) > PER_SITEMAP and not part:
        parts = (len(pages) + PER_SITEMAP - 1) // PER_SITEMAP
        entries = "".join(
            f"<sitemap><loc>{base}sitemap.xml?part={n}</loc></sitemap>" for n in range(1, parts + 1)
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

    def made() -> list[str]:
        pages = [f"{base}{path}" for path in PAGES] + [f"{base}doc/{t.type_word}/" for t in TABLES]
        things = sorted(row["s"] for row in store_of(release).select(THINGS.replace("BASE", base)))
        return pages + [f"{base}doc/{thing[len(base) + 3 :]}" for thing in things]

    return kept("sitemap", release, made, scope=base)


def _xml(body: str) -> Response:
    return conditional(
        Response('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type="application/xml")
    )
