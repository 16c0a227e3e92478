"""Write query results in the format a client asked for, stopping at the row cap and saying so.

Solutions (SELECT) and booleans (ASK) go out as SPARQL JSON, XML, CSV or TSV; graphs (CONSTRUCT, DESCRIBE)
through pyoxigraph's RDF serializers. Used where an answer is written: in the query worker for the embedded
store (``query_run``) and in the server process for the external SPARQL server's answers (``forward``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from publisher.store.describe import OXIGRAPH_FORMATS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ROW_LIMIT_LINK = "#row-limit"


@dataclass(frozen=True)
class Written:
    """A serialized result and whether the row cap cut it."""

    body: bytes
    truncated: bool
    rows: int


def write_boolean(value: bool, fmt: str) -> Written:
    if fmt == "json":
        body = json.dumps({"head": {}, "boolean": value}, separators=(",", ":")).encode()
    elif fmt == "xml":
        body = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>\n"
        ).encode()
    else:
        body = f"{str(value).lower()}\n".encode()
    return Written(body, False, 1)


def write_solutions(solutions: ox.QuerySolutions, fmt: str, cap: int) -> Written:
    names = [v.value for v in solutions.variables]
    rows = _capped(solutions, cap + 1)
    truncated = len(rows) > cap
    rows = rows[:cap]
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return Written(writer(names, rows, truncated), truncated, len(rows))


def write_graph(triples: Iterable[ox.Triple], fmt_name: str, cap: int, prefixes: dict[str, str]) -> Written:
    kept = _capped(triples, cap + 1)
    truncated = len(kept) > cap
    kept = kept[:cap]
    fmt = OXIGRAPH_FORMATS[fmt_name]
    wanted = None if fmt == ox.RdfFormat.N_TRIPLES else prefixes
    body = ox.serialize(kept, format=fmt, prefixes=wanted) or b""
    return Written(body, truncated, len(kept))


def _capped(items: Iterable[ox.QuerySolution] | Iterable[ox.Triple], limit: int) -> list:  # type: ignore[type-arg]
    kept = []
    for item in items:
        kept.append(item)
        if len(kept) >= limit:
            break
    return kept


def _cells(names: list[str], rows: list[ox.QuerySolution]) -> Iterator[list[object | None]]:
    for row in rows:
        yield [row[name] for name in names]


def _json_term(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")},
        }
    raise TypeError(f"unexpected term {term!r}")


def _json(names: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    head: dict[str, object] = {"vars": names}
    if truncated:
        head["link"] = [ROW_LIMIT_LINK]
    bindings = [
        {name: _json_term(value) for name, value in zip(names, cells, strict=True) if value is not None}
        for cells in _cells(names, rows)
    ]
    payload = {"head": head, "results": {"bindings": bindings}}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = "".join(
            f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object")
        )
        return f"<triple>{parts}</triple>"
    raise TypeError(f"unexpected term {term!r}")


def _xml(names: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>')
    out.writelines(f"<variable name={quoteattr(name)}/>" for name in names)
    if truncated:
        out.write(f"<link href={quoteattr(ROW_LIMIT_LINK)}/>")
    out.write("</head><results>")
    for cells in _cells(names, rows):
        out.write("<result>")
        for name, value in zip(names, cells, strict=True):
            if value is not None:
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode()


def _csv_value(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv(names: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_value(v) for v in cells] for cells in _cells(names, rows))
    return out.getvalue().encode()


def _tsv(names: list[str], rows: list[ox.QuerySolution], truncated: bool) -> bytes:
    lines = ["\t".join(f"?{name}" for name in names)]
    lines += ["\t".join("" if v is None else str(v) for v in cells) for cells in _cells(names, rows)]
    return ("\n".join(lines) + "\n").encode()
