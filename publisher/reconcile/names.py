"""Names reduced to the forms they are compared in: without case, accents, punctuation and legal forms.

A name has three forms. ``full`` keeps its words in order, legal form included ("microtec sudwest ev");
``key`` drops trailing legal forms and sorts the words, so word order does not matter ("sudwest microtec");
``compact`` joins the words without spaces, so "Medical Mountains" meets "MedicalMountains". German umlauts
are compared both plain ("sud") and spelt out ("sued"), since either may be typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from publisher.text import UMLAUTS, normalise

__all__ = ["LEGAL_FORMS", "NameForm", "forms", "similarity", "text_similarity"]

LEGAL_FORMS = frozenset(
    {"ev", "gmbh", "ggmbh", "mbh", "ag", "kg", "kgaa", "se", "ug", "eg", "gbr", "ohg", "co", "ltd", "inc"}
    | {"haftungsbeschrankt", "haftungsbeschraenkt"}
)
"""Words of German (and a few English) legal forms, dropped from the end of a name: "e.V." is "ev"."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class NameForm:
    """One spelling of a name, in the forms it is compared in."""

    full: str
    key: str
    compact: str


def forms(text: str) -> tuple[NameForm, ...]:
    """The forms of ``text``: plain, and with umlauts spelt out when that differs."""
    variants = dict.fromkeys(_form(spelling) for spelling in (text, text.translate(UMLAUTS)))
    return tuple(form for form in variants if form.full)


def _form(text: str) -> NameForm:
    words = _WORD.findall(normalise(text).replace(".", ""))  # "e.V." is one word, "ev"
    core = list(words)
    while len(core) > 1 and core[-1] in LEGAL_FORMS:
        core.pop()
    if len(core) > 2 and core[-2:] == ["e", "v"]:  # "e. V." written with a space
        core = core[:-2]
    full, key = " ".join(words), " ".join(sorted(core))
    return NameForm(full, full if key == full else key, "".join(core))  # one string when both are alike


def ratio(a: str, b: str) -> float:
    """difflib's similarity of two strings, 0 to 1."""
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def similarity(query: NameForm, name: NameForm) -> float:
    """How alike two names are, 0 to 1: mostly by their words in any order, a little by the exact wording."""
    alike = max(ratio(query.key, name.key), ratio(query.compact, name.compact))
    return 0.9 * alike + 0.1 * ratio(query.full, name.full)


def text_similarity(query: str, value: str) -> float:
    """How well a value given in a query (a city, a field) fits a value of an entity, 0 to 1.

    Every word of the shorter found in the longer counts 0.9 ("Freiburg" and "Freiburg im Breisgau").
    """
    best = 0.0
    for q in forms(query):
        for v in forms(value):
            best = max(best, similarity(q, v))
            shorter, longer = sorted((set(q.full.split()), set(v.full.split())), key=len)
            if shorter and shorter <= longer:
                best = max(best, 0.9)
    return best
