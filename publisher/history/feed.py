"""The change feed, a Linked Data Event Stream (TREE/LDES), built at release time from the release's changes.

Members are versions of our entities: ``{base}releases/{release}/id/{type}/{key}`` (the thing's memento in
that release), ``dcterms:isVersionOf`` the entity, ``prov:generatedAtTime`` the release's build time, with
the entity's own statements (and the blank nodes they lead to) as of that release. An entity that left is a
tombstone member typed ``as:Delete`` (``ldes:versionDeleteObject``). The first release, or the first one
with a feed, gives every entity as a member, so replicating from the start yields the whole dataset.

Pages hold the members of one release, ``PAGE_MEMBERS`` at most each, as N-Triples (also valid Turtle), and
follow one another in time: each page but the newest has a ``tree:GreaterThanOrEqualToRelation`` on
``prov:generatedAtTime`` to the next. The relations are not in the page files but made from ``pages.json``
when a page is served, so a page file never changes once written: the next release hard-links it.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FEED = "feed"
PAGES = "feed/pages.json"
PAGE_MEMBERS = 1000

LDES = "https://w3id.org/ldes#"
TREE = "https://w3id.org/tree#"
PROV_GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"
IS_VERSION_OF = "http://purl.org/dc/terms/isVersionOf"
AS_DELETE = "https://www.w3.org/ns/activitystreams#Delete"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


@dataclass(frozen=True)
class FeedPage:
    """One page of the feed: its number, the release whose members it holds, and how many."""

    number: int
    release: str
    built: str
    members: int

    @property
    def file(self) -> str:
        return f"{FEED}/{self.number}.nt"


def feed_iri(base: str) -> str:
    return f"{base}feed"


def page_iri(base: str, number: int) -> str:
    return f"{base}feed/{number}"


def version_iri(base: str, release_id: str, entity: str) -> str:
    """The member for ``entity`` in a release: the thing's memento URI in that release."""
    return f"{base}releases/{release_id}/{entity[len(base) :]}"


def read_pages(folder: Path) -> list[FeedPage]:
    """The feed's pages as of the release in ``folder``; none for a release from before the feed."""
    path = folder / PAGES
    if not path.exists():
        return []
    return [FeedPage(**page) for page in json.loads(path.read_text(encoding="utf-8"))]


def write_feed(
    work: Path,
    previous: Path | None,
    base: str,
    release_id: str,
    built: str,
    versions: list[str],
    removed: list[str],
    ntriples: Path,
    page_members: int = PAGE_MEMBERS,
) -> list[FeedPage]:
    """Write ``feed/`` into the release folder ``work``: the earlier pages (hard links to the previous
    release's files) and new pages with ``versions`` (entity IRIs added or changed) and tombstones for
    ``removed``. A previous release without a feed starts the feed: every entity of this release is a member.
    """
    (work / FEED).mkdir()
    pages = read_pages(previous) if previous is not None else []
    if previous is not None:
        for page in pages:
            _link_or_copy(previous / page.file, work / page.file)
    members = _member_lines(ntriples, base, release_id, built, set(versions), removed)
    number = pages[-1].number if pages else 0
    chunk: list[bytes] = []
    count = 0
    for lines in members:
        chunk.append(lines)
        count += 1
        if count == page_members:
            number += 1
            pages.append(_write_page(work, number, release_id, built, count, chunk))
            chunk, count = [], 0
    if count:
        number += 1
        pages.append(_write_page(work, number, release_id, built, count, chunk))
    payload = [page.__dict__ for page in pages]
    (work / PAGES).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    return pages


def _write_page(
    work: Path, number: int, release_id: str, built: str, count: int, chunk: list[bytes]
) -> FeedPage:
    page = FeedPage(number, release_id, built, count)
    (work / page.file).write_bytes(b"".join(chunk))
    return page


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


def _member_lines(
    ntriples: Path, base: str, release_id: str, built: str, versions: set[str], removed: list[str]
) -> Iterator[bytes]:
    """Each member's N-Triples, members sorted by entity IRI."""
    own, blanks = _statements(ntriples, base, versions)
    feed = f"<{feed_iri(base)}>".encode()
    time = f'"{built}"^^<{XSD_DATETIME}>'.encode()
    gone = set(removed)
    for entity in sorted(versions | gone):
        version = f"<{version_iri(base, release_id, entity)}>".encode()
        head = [
            feed + f" <{TREE}member> ".encode() + version + b" .\n",
            version + f" <{IS_VERSION_OF}> <{entity}> .\n".encode(),
            version + f" <{PROV_GENERATED}> ".encode() + time + b" .\n",
        ]
        if entity in gone:
            head.append(version + f" <{RDF_TYPE}> <{AS_DELETE}> .\n".encode())
            yield b"".join(head)
            continue
        rests = own.get(f"<{entity}".encode(), [])
        subject = version + b" "
        body = subject + subject.join(rests) if rests else b""  # each statement now about the version
        closure = _blank_closure(rests, blanks) if b"_:" in body else []  # one scan for most entities
        yield b"".join([*head, body, *closure])


def _statements(
    ntriples: Path, base: str, wanted: set[str]
) -> tuple[dict[bytes, list[bytes]], dict[bytes, list[bytes]]]:
    """For each wanted entity, its lines without their subject (keyed by ``<`` and the IRI), and every blank
    node's lines (by label), in one pass."""
    things = f"<{base}id/".encode()
    wanted_subjects = {f"<{iri}".encode() for iri in wanted}
    own: dict[bytes, list[bytes]] = {}
    blanks: dict[bytes, list[bytes]] = {}
    opener = gzip.open if ntriples.suffix == ".gz" else open
    with opener(ntriples, "rb") as handle:
        for line in handle:
            if line.startswith(things):
                subject, _, rest = line.partition(b"> ")
                if subject in wanted_subjects:
                    if subject in own:
                        own[subject].append(rest)
                    else:
                        own[subject] = [rest]
            elif line.startswith(b"_:"):
                blanks.setdefault(line[: line.index(b" ")], []).append(line)
    return own, blanks


def _blank_closure(lines: list[bytes], blanks: dict[bytes, list[bytes]]) -> list[bytes]:
    """The lines of the blank nodes ``lines`` lead to, and of those they lead to in turn."""
    found: list[bytes] = []
    seen: set[bytes] = set()
    todo = [line for line in lines if b"_:" in line]
    while todo:
        line = todo.pop()
        label = line.rstrip()[:-1].rstrip().rsplit(b" ", 1)[-1]
        if label.startswith(b"_:") and label not in seen:
            seen.add(label)
            found.extend(blanks.get(label, []))
            todo.extend(blanks.get(label, []))
    return found


def root_triples(base: str, pages: list[FeedPage]) -> list[str]:
    """The event stream as N-Triples: what it is, how versions and deletions are told, and its view."""
    stream = f"<{feed_iri(base)}>"
    lines = [
        f"{stream} <{RDF_TYPE}> <{LDES}EventStream> .",
        f"{stream} <{RDF_TYPE}> <{TREE}Collection> .",
        f"{stream} <{LDES}timestampPath> <{PROV_GENERATED}> .",
        f"{stream} <{LDES}versionOfPath> <{IS_VERSION_OF}> .",
        f"{stream} <{LDES}versionDeletePath> <{RDF_TYPE}> .",
        f"{stream} <{LDES}versionDeleteObject> <{AS_DELETE}> .",
        f"{stream} <http://rdfs.org/ns/void#inDataset> <{base}dataset> .",
    ]
    if pages:
        first = f"<{page_iri(base, pages[0].number)}>"
        lines += [f"{stream} <{TREE}view> {first} .", f"{first} <{RDF_TYPE}> <{TREE}Node> ."]
    return lines


def page_header(base: str, pages: list[FeedPage], number: int) -> list[str]:
    """A page's own triples: it is a node of the stream's view, with a relation to the next page if any."""
    node = f"<{page_iri(base, number)}>"
    lines = [f"{node} <{RDF_TYPE}> <{TREE}Node> ."]
    following = next((p for p in pages if p.number == number + 1), None)
    if following is not None:
        relation = f"_:next{following.number}"
        lines += [
            f"{node} <{TREE}relation> {relation} .",
            f"{relation} <{RDF_TYPE}> <{TREE}GreaterThanOrEqualToRelation> .",
            f"{relation} <{TREE}node> <{page_iri(base, following.number)}> .",
            f"{relation} <{TREE}path> <{PROV_GENERATED}> .",
            f'{relation} <{TREE}value> "{following.built}"^^<{XSD_DATETIME}> .',
        ]
    return lines
