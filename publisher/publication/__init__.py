"""The publication's description of itself: what names the programme, the area and the publisher, read from
``publication.csv`` in the data folder and from what the tables say, with neutral wording where it is silent.

Pure: made once per build (:func:`describe`), recorded in the release's manifest (:meth:`Description.as_json`)
and read back by the server (:func:`description_of`), which never reads the data folder. The deployment's
settings may override the publisher's facts (publisher.catalog.publication_of).

``model`` holds the description (:class:`Description`, its texts in two languages, the area, the total),
``resolve`` makes it from publication.csv and the tables (checking every value) or from a manifest, and
``neutral`` is the publisher's own wording for what publication.csv does not say.
"""

from __future__ import annotations

from publisher.publication.model import Description
from publisher.publication.resolve import describe, description_of

__all__ = ["Description", "describe", "description_of"]
