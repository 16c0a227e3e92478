"""Hostile requests for the fuzz test (tests/test_fuzz.py) and the fuzz benchmark (bench/fuzz.py).

Strategies (hypothesis) make ``Probe``s: paths under every route family of README's "What is served" table
with random segments, suffixes, percent-escapes and Unicode; query parameters; request headers; SPARQL
queries (random bytes and mutated valid queries, by GET and POST); reconciliation bodies (JSON with NaN,
Infinity, huge numbers, nested objects). ``send`` makes the request with requests; ``problems`` says what is
wrong with an answer: a 5xx other than a 503 carrying an error message, or an answer that is not
well-formed (a body that does not parse as its media type, a missing CORS header, a 405 without Allow, a
redirect to ``//another.site``), or a spoofed ``Host`` written back into the answer.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import requests
from hypothesis import strategies as st
from rdflib import Graph

EXAMPLES = Path(__file__).resolve().parent.parent / "publisher" / "web" / "examples"
SPOOFED_HOST = "evil.example"

# The minimal fixture's things (tests/fixtures/minimal), so that probes reach real documents too.
THINGS = {
    "initiative": ["ini-one"],
    "organisation": ["org-ministry"],
    "person": ["person-a"],
    "post": ["post-a"],
    "place": ["place-state", "place-town"],
    "event": ["week", "opening"],
    "field": ["field-top", "field-x"],
    "document": ["doc-a", "doc-b"],
    "observation": ["obs-events", "obs-members"],
    "scheme": ["fields"],
}
TYPES = [*THINGS, "unicorn", "graph", "ID", ""]
KEYS = sorted({key for keys in THINGS.values() for key in keys})
SUFFIXES = ["", ".html", ".ttl", ".jsonld", ".rdf", ".nt", ".json", ".pdf", ".ics", ".gz",
            ".sha256", ".", ".."]  # fmt: skip
DUMP_FILES = ["data.ttl", "data.ttl.gz", "data.nt.gz", "data.jsonld", "data.jsonld.gz",
              "data.ttl.sha256", "manifest.json", "../manifest.json", "store", "nope"]  # fmt: skip
# Route families of README's "What is served" (and {base}health, {base}static/): {t} a type, {k} a key,
# {s} a suffix, {f} a dump file, {r} a release, {x} any segment.
ROUTES = ["", "id/{t}/{k}", "id/{t}/{k}{s}", "doc/{t}/{k}", "doc/{t}/{k}{s}", "doc/{t}/", "doc/{t}",
          "doc/{x}/{x}/{x}", "def/cluster", "def/cluster{s}", "def/cluster/shapes",
          "def/cluster/shapes{s}", "def/{x}", "search", "reconcile", "reconcile/preview",
          "reconcile/suggest/entity", "reconcile/suggest/type", "reconcile/suggest/property",
          "reconcile/suggest/{x}", "reconcile/properties", "calendar/events.ics",
          "calendar/initiative/{k}.ics", "calendar/field/{k}.ics", "calendar/{x}/{k}.ics",
          "dataset", "dataset{s}", ".well-known/void", ".well-known/{x}", "linking", "sparql",
          "robots.txt", "sitemap.xml", "dumps/latest/{f}", "dumps/{r}/{f}", "dumps/{x}", "releases",
          "releases{s}", "releases/{r}", "releases/{r}{s}", "graph/release/{r}", "health",
          "static/{x}", "{x}", "{x}/{x}"]  # fmt: skip
PARAMETERS = ["page", "limit", "part", "cursor", "lang", "format", "field", "place", "region",
              "from", "to", "q", "profile", "prefix", "type", "id", "query", "timeout",
              "default-graph-uri", "named-graph-uri", "queries", "extend", "callback"]  # fmt: skip
NUMERIC_PARAMETERS = ["page", "limit", "part", "cursor", "timeout"]
ODD_TEXT = ["..", ".", "%2e%2e", "%2F", "%00", "%ff", "%", "%zz", "%C3", "~", "😀", "ä", " ", "a b",
            "\\", ";", "?", "#", "&", "=", "+", "'", '"', "<script>", "\u202e", "\ufeff", "ﬁ", "ǅ",
            "İ", "\u0000", "x" * 300, "/", "//", "..%2F..%2Fetc%2Fpasswd", "${jndi:x}",
            "{{7*7}}"]  # fmt: skip
# Odd numbers first: hypothesis draws the first entries of a list most often.
NUMBERS = ["²", "18446744073709551615", "9" * 5000, "1e400", "NaN", "Infinity", "١٢", "-1", "+1", "1.5",
           "1e3", "-0", "0x10", " 1", "1 ", "007", "9223372036854775808", "9" * 100, "999999", "1000001",
           "0", "1", "2"]  # fmt: skip
VALUES = ["de", "en", "fr", "json", "html", "ttl", "nt", "rdf", "jsonld", "xml", "csv", "tsv",
          "2.0", "3.0", "2017-04-20", "2017-02-30", "0000-01-01", "9999-12-31", "field-x",
          "place-town", "Testregion", "initiative/ini-one",
          "http://localhost:8080/id/initiative/ini-one", "x:y", "file:///etc/passwd",
          "http://127.0.0.1:1/", "Test", "t", ""]  # fmt: skip
MEDIA_TYPES = ["*/*", "text/html", "application/json", "text/turtle", "application/ld+json",
               "application/rdf+xml", "application/n-triples", "application/sparql-results+json",
               "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
               "text/plain", "text/calendar", "application/xml", "image/png", "text/*",
               "application/*", "*/*;q=0", "text/html;q=abc", "text/html;q=0, */*;q=0",
               "text/turtle;q=0.5, text/html", ",", ";;", "application/json; charset=latin-1",
               "text/html; profile=x"]  # fmt: skip
DATES = ["Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 01 Jan 1970 00:00:00 GMT",
         "Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "yesterday",
         "2017-04-20", "0", "-1", "Sun, 32 Nov 1994 25:61:61 GMT"]  # fmt: skip
HEADER_VALUES = {
    "Host": [
        SPOOFED_HOST,
        f"{SPOOFED_HOST}:8080",
        "localhost:8080",
        "",
        "a:99999",
        "[::1]",
        "x" * 300,
        "localhost:8080/evil",
        "127.0.0.1:0",
    ],
    "Accept": MEDIA_TYPES,
    "Accept-Language": ["de", "en", "en;q=0.5, de;q=0.9", "*", "xx", "de-DE", "en;q=abc", "", ","],
    "Accept-Datetime": DATES,
    "If-None-Match": ['"abc"', "*", 'W/"x"', '"', "abc", '"a", "b"', ""],
    "If-Modified-Since": DATES,
    "Range": [
        "bytes=0-10",
        "bytes=-5",
        "bytes=10-5",
        "bytes=0-0,5-",
        "bytes=99999999999999999999-",
        "bytes=",
        "lines=1-2",
        "bytes=0-1,2-3,4-5,6-7,8-9,10-11",
        "bytes=-0",
    ],
    "Accept-Profile": ["<https://www.dcat-ap.de/def/dcatde/2.0/spec/>", "<x>", "nope", ""],
    "Content-Type": [
        "application/json",
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
        "application/json; charset=utf-16",
        "",
    ],
}
SPARQL_TOKENS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", ".", ";", ",", "?x",
                 "?s", "*", "<http://x/>", "<>", '"str"@de', "'x'", '"""', "1e400", "NaN",
                 "FILTER(", "BIND(", ")", "(", "SERVICE <http://127.0.0.1:1/>", "SERVICE SILENT ?x",
                 "GRAPH ?g", "OPTIONAL", "UNION", "MINUS", "LIMIT 18446744073709551615",
                 "OFFSET 99999999999999999999", "\\u0000", "\\u0041", "#", "\n", "ORDER BY",
                 "GROUP BY", "COUNT(*)", "^^xsd:integer", "PREFIX ex: <http://x/>", "ex:a\\#",
                 'REGEX(?x, "(a+)+$")', "VALUES ?x { 1 }", "FROM <x>", "INSERT DATA", "LOAD", "a",
                 "rdf:type", "^", "/", "|", "+", "?", "!", "\U0001f600", "\x00", "BASE <x:>"]  # fmt: skip
SPARQL_SEEDS = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "ASK { ?s a ?c }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
    "DESCRIBE <http://localhost:8080/id/initiative/ini-one>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'de') }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    *sorted(p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.rq")),
]
RECONCILE_KEYS = ["query", "type", "limit", "properties", "pid", "v", "ids", "id", "type_strict", "name"]
# Raw JSON number tokens json.dumps cannot write: stand-ins replaced in the serialised text.
RAW_NUMBERS = {"\u2063big\u2063": "1e400", "\u2063long\u2063": "1" + "0" * 5000, "\u2063neg\u2063": "-1e400"}


@dataclass(frozen=True)
class Probe:
    """One request: method, path (under the server's root), query parameters, headers, body."""

    family: str
    method: str
    path: str
    params: list[tuple[str, str | bytes]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def _text(max_size: int = 30) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXT),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=max_size),
    )


def _segment() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(KEYS + TYPES), _text())


@st.composite
def paths(draw: st.DrawFn) -> str:
    route = draw(st.sampled_from(ROUTES))
    filled = {
        "{t}": lambda: draw(st.one_of(st.sampled_from(TYPES), _segment())),
        "{k}": lambda: draw(_segment()),
        "{s}": lambda: draw(st.one_of(st.sampled_from(SUFFIXES), _text(6).map(lambda s: "." + s))),
        "{f}": lambda: draw(st.one_of(st.sampled_from(DUMP_FILES), _segment())),
        "{r}": lambda: draw(st.one_of(st.sampled_from(["latest", "current", "0", ".."]), _segment())),
        "{x}": lambda: draw(_segment()),
    }
    return re.sub(r"\{[tksfrx]\}", lambda found: filled[found.group()](), route)


def _value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(VALUES), _text(40))


def _params() -> st.SearchStrategy[list[tuple[str, str | bytes]]]:
    """A few parameters; numeric ones mostly with odd numbers, as those are where servers trip."""
    pair = st.one_of(
        st.tuples(st.sampled_from(NUMERIC_PARAMETERS), st.sampled_from(NUMBERS)),
        st.tuples(st.sampled_from(PARAMETERS), _value()),
        st.tuples(_text(10), _value()),
    )
    return st.lists(pair, min_size=1, max_size=4)


def _headers(names: list[str] | None = None) -> st.SearchStrategy[dict[str, str]]:
    """Headers a client may send; requests refuses values with line breaks or leading spaces, so do we."""
    chosen = names or list(HEADER_VALUES)
    printable = st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60
    ).map(str.strip)

    def values(name: str) -> st.SearchStrategy[str]:
        return st.one_of(
            st.sampled_from(HEADER_VALUES[name]), st.sampled_from(HEADER_VALUES[name]), printable
        )

    return st.lists(st.sampled_from(chosen), unique=True, max_size=4).flatmap(
        lambda picked: st.fixed_dictionaries({name: values(name) for name in picked})
    )


CONTENT_TYPES = st.sampled_from(HEADER_VALUES["Content-Type"])
METHODS = st.sampled_from(["GET"] * 6 + ["HEAD", "POST", "OPTIONS", "PUT", "DELETE"])


def path_probes() -> st.SearchStrategy[Probe]:
    return st.builds(Probe, family=st.just("paths"), method=METHODS, path=paths())


# Where parameters are read, and which.
READS = {
    "doc/initiative/": ["page", "field", "place", "region", "lang", "format"],
    "doc/event/": ["page", "from", "to", "lang"],
    "doc/initiative/ini-one": ["page", "lang", "format"],
    "doc/event/week.ttl": ["page"],
    "search": ["q", "limit", "lang", "format"],
    "sitemap.xml": ["part"],
    "dataset": ["profile", "format"],
    "reconcile/suggest/entity": ["prefix", "cursor", "limit", "type"],
    "reconcile/suggest/type": ["prefix", "cursor", "limit"],
    "reconcile/suggest/property": ["prefix", "cursor", "limit"],
    "reconcile/properties": ["type", "limit"],
    "reconcile/preview": ["id"],
    "reconcile": ["queries", "extend"],
    "calendar/events.ics": ["lang"],
    "releases": ["format"],
    "def/cluster": ["format", "lang"],
    "": ["lang"],
    "sparql": ["query", "format", "timeout", "default-graph-uri", "named-graph-uri"],
}


@st.composite
def parameter_probes(draw: st.DrawFn) -> Probe:
    """A route that reads parameters, with some of its own (numbers mostly odd ones) and some others."""
    route = draw(st.sampled_from(list(READS)))
    own = st.sampled_from(READS[route])
    pair = st.one_of(
        own.flatmap(lambda name: st.tuples(st.just(name), _value_for(name))),
        own.flatmap(lambda name: st.tuples(st.just(name), _value_for(name))),
        _params().map(lambda pairs: pairs[0]),
    )
    params = draw(st.lists(pair, min_size=1, max_size=4))
    path = draw(st.one_of(st.just(route), st.just(route), paths()))
    return Probe("parameters", "GET", path, params)


def _value_for(name: str) -> st.SearchStrategy[str]:
    if name in NUMERIC_PARAMETERS:
        return st.one_of(st.sampled_from(NUMBERS), st.sampled_from(NUMBERS), _value())
    return _value()


@st.composite
def header_probes(draw: st.DrawFn) -> Probe:
    """A route with a few headers; about every other probe names a Host, often a spoofed one."""
    route = draw(
        st.one_of(
            st.sampled_from(
                [
                    "doc/initiative",
                    "search",
                    "reconcile",
                    "",
                    "doc/initiative/ini-one",
                    "id/event/week",
                    "dumps/latest/data.ttl",
                    "dumps/latest/data.nt.gz",
                    "dataset",
                    "releases",
                    "def/cluster",
                    "sparql",
                    "calendar/events.ics",
                    ".well-known/void",
                ]
            ),
            paths(),
        )
    )
    headers = draw(_headers([n for n in HEADER_VALUES if n not in ("Content-Type", "Host")]))
    host = draw(st.one_of(st.sampled_from(HEADER_VALUES["Host"]), st.none()))
    if host is not None:
        headers["Host"] = host
    method = draw(st.sampled_from(["GET", "GET", "HEAD"]))
    params = draw(st.sampled_from([[("q", "Test")], [], [("page", "2")]]))
    return Probe("headers", method, route, params, headers)


@st.composite
def sparql_texts(draw: st.DrawFn) -> str | bytes:
    """A query: random bytes, random text, or a valid query mutated a few times."""
    kind = draw(st.sampled_from(["bytes", "text", "mutated", "mutated", "mutated", "valid"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    if kind == "text":
        return draw(_text(200))
    query = draw(st.sampled_from(SPARQL_SEEDS))
    for _ in range(0 if kind == "valid" else draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(query)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        token = draw(st.sampled_from(SPARQL_TOKENS))
        end = min(len(query), at + draw(st.integers(1, 20)))
        if operation == "insert":
            query = f"{query[:at]} {token} {query[at:]}"
        elif operation == "delete":
            query = query[:at] + query[end:]
        elif operation == "replace":
            query = f"{query[:at]}{token}{query[end:]}"
        else:
            query = query[:end] + query[at:]
    return query


@st.composite
def sparql_probes(draw: st.DrawFn) -> Probe:
    query = draw(sparql_texts())
    how = draw(st.sampled_from(["GET", "POST form", "POST direct", "POST other"]))
    params = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["format", "timeout", "default-graph-uri", "named-graph-uri", "update"]),
                _value(),
            ),
            max_size=2,
        )
    )
    headers = draw(_headers(["Accept", "Accept-Language", "If-None-Match"]))
    encoded = query if isinstance(query, bytes) else query.encode("utf-8", "surrogatepass")
    if how == "GET":
        return Probe("sparql", "GET", "sparql", [("query", query), *params], headers)
    if how == "POST form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode([("query", encoded), *params]).encode()
        return Probe("sparql", "POST", "sparql", [], headers, body)
    content_type = "application/sparql-query" if how == "POST direct" else draw(CONTENT_TYPES)
    headers["Content-Type"] = content_type
    return Probe("sparql", "POST", "sparql", params, headers, encoded)


def _json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(list(RAW_NUMBERS)),
        _text(20),
    )
    keys = st.one_of(st.sampled_from(RECONCILE_KEYS), _text(8))
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children, max_size=4),
        max_leaves=12,
    )


@st.composite
def reconcile_bodies(draw: st.DrawFn) -> str:
    """A batch of queries, an extension query or any JSON, as text (with NaN, Infinity and huge numbers)."""
    shape = draw(st.sampled_from(["batch", "batch", "extend", "any", "deep"]))
    if shape == "deep":
        depth = draw(st.integers(100, 5000))
        return "[" * depth + "]" * depth
    if shape == "batch":
        query = st.fixed_dictionaries(
            {},
            optional={
                "query": st.one_of(st.sampled_from(["Test", "Testcluster", "ini-one", ""]), _json_values()),
                "type": _json_values(),
                "limit": st.one_of(st.sampled_from(list(RAW_NUMBERS)), _json_values()),
                "properties": st.one_of(
                    st.lists(st.fixed_dictionaries({"pid": _json_values(), "v": _json_values()}), max_size=3),
                    _json_values(),
                ),
            },
        )
        value: Any = draw(st.dictionaries(_text(6), query, max_size=3))
    elif shape == "extend":
        value = draw(st.fixed_dictionaries({"ids": _json_values(), "properties": _json_values()}))
    else:
        value = draw(_json_values())
    text = json.dumps(value, allow_nan=True)
    for stand_in, raw in RAW_NUMBERS.items():
        text = text.replace(json.dumps(stand_in), raw)
    return text


@st.composite
def reconcile_probes(draw: st.DrawFn) -> Probe:
    body = draw(reconcile_bodies())
    how = draw(st.sampled_from(["JSON body", "JSON queries", "form queries", "form extend", "GET queries"]))
    accept = draw(st.sampled_from(["application/json", "*/*", "text/html"]))
    as_json = {"Content-Type": "application/json", "Accept": accept}
    if how == "JSON body":
        return Probe("reconcile", "POST", "reconcile", [], as_json, body.encode())
    if how == "JSON queries":
        return Probe("reconcile", "POST", "reconcile", [], as_json, ('{"queries": ' + body + "}").encode())
    if how == "GET queries":
        return Probe("reconcile", "GET", "reconcile", [("queries", body[:4000])], {"Accept": accept})
    name = "queries" if how == "form queries" else "extend"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    return Probe("reconcile", "POST", "reconcile", [], headers, urlencode([(name, body)]).encode())


FAMILIES = {
    "paths": path_probes(),
    "parameters": parameter_probes(),
    "headers": header_probes(),
    "sparql": sparql_probes(),
    "reconcile": reconcile_probes(),
}


def send(session: requests.Session, root: str, probe: Probe) -> requests.Response:
    """Make the request; ``root`` is the server's root URL (``http://127.0.0.1:PORT/``)."""
    return session.request(
        probe.method,
        root + probe.path,
        params=probe.params,
        headers=probe.headers,
        data=probe.body,
        timeout=60,
        allow_redirects=False,
    )


def problems(probe: Probe, response: requests.Response) -> list[str]:
    """What is wrong with the answer to ``probe``; empty when nothing is."""
    found: list[str] = []
    status = response.status_code
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    body = response.content
    if status >= 500 and not (status == 503 and _is_error_message(media_type, body)):
        found.append(f"{status}: {body[:300]!r}")
    if response.headers.get("Access-Control-Allow-Origin") != "*":
        found.append("no CORS header")
    if status == 405 and "Allow" not in response.headers:
        found.append("405 without Allow")
    if 300 <= status < 400 and response.headers.get("Location", "").startswith("//"):
        found.append(f"Location names another site: {response.headers['Location']}")
    if SPOOFED_HOST in probe.headers.get("Host", "") and (
        SPOOFED_HOST.encode() in body or any(SPOOFED_HOST in value for value in response.headers.values())
    ):
        found.append("the spoofed Host is written into the answer")
    if probe.method == "HEAD" or status in (204, 206, 304, 416) or not body:
        return found
    if not media_type:
        found.append("a body without Content-Type")
        return found
    problem = _malformed(media_type, body, response.headers.get("Content-Encoding", ""))
    if problem:
        found.append(f"{status} {media_type} is not well-formed: {problem}")
    if status >= 400 and media_type == "application/json":
        error = json.loads(body).get("error", {}) if body.startswith(b"{") else {}
        if error.get("status") != status:
            found.append(f"the JSON error's status is not {status}: {body[:200]!r}")
    return found


def _is_error_message(media_type: str, body: bytes) -> bool:
    if media_type == "application/json":
        try:
            return bool(json.loads(body)["error"]["message"])
        except (ValueError, KeyError, TypeError):
            return False
    return media_type in ("text/html", "text/plain") and len(body.strip()) > 20


def _malformed(media_type: str, body: bytes, encoding: str) -> str:
    """Why ``body`` is not a well-formed ``media_type``, or ""."""
    if encoding or media_type in ("application/gzip", "application/octet-stream"):
        return ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8: {error}"
    try:
        if media_type.endswith("json"):
            json.loads(text)
        elif media_type.endswith("xml"):
            ET.fromstring(body)  # noqa: S314 - our own answer
        elif media_type == "text/html":
            if "<html" not in text[:500].lower():
                return "no <html>"
        elif media_type == "text/turtle":
            Graph().parse(data=text, format="turtle")
        elif media_type == "application/n-triples":
            Graph().parse(data=text, format="nt")
        elif media_type == "text/calendar" and not text.startswith("BEGIN:VCALENDAR"):
            return "no BEGIN:VCALENDAR"
    except Exception as error:  # any parser's complaint is the finding
        return f"{type(error).__name__}: {error}"[:300]
    return ""
