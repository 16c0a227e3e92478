"""Text normalisation shared by search and reconciliation: names compared without case and accents."""

from __future__ import annotations

import unicodedata

__all__ = ["UMLAUTS", "normalise"]

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
"""German umlauts spelt out ("Süd" as "Sued"), as people type them without a German keyboard."""


def normalise(text: str) -> str:
    """Compatibility-decomposed, without combining marks, case folded (which also makes "ß" "ss")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "SS"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
