"""Harvest a DCAT catalog as ckanext-dcat's RDF harvester does, without a CKAN database; print what it read.

Usage: .venv/bin/python harvest.py URL LOCALE PROFILE [PROFILE ...]
  LOCALE   the portal's language (CKAN's ``ckan.locale_default``: "en" is CKAN's, "de" GovData's), in which
           the parser picks a title or description among several languages
  PROFILE  a profile of the parser, or "default" for the parser's default

The harvester's gather stage, with what needs a database left out: its own download
(``DCATRDFHarvester._get_content_and_type``: python-requests, a HEAD then a GET with the default
``Accept: */*``, the format taken from the Content-Type), then ckanext-dcat's ``RDFParser`` with the given
profiles (the ``ckan.rdf.profiles`` entry points ckanext-dcat registers), its datasets and the next page.
The portal's licence register is dcat-ap.de's licences (licenses.json here, CKAN's ``licenses_group_url``),
as a German portal configures it, so that a distribution's licence becomes the dataset's ``license_id``.

Prints JSON: {"format": ..., "parsed": {PROFILE: {"datasets": [...], "next_page": ...}}}. Errors the
harvester would record as gather errors (it calls ``_save_gather_error``, which needs the database) raise.
"""

import json
import sys
from pathlib import Path

from ckan.common import config
from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.processors import RDFParser

LICENSES = Path(__file__).resolve().parent / "licenses.json"


class Harvester(DCATRDFHarvester):
    def _save_gather_error(self, message, job):
        raise RuntimeError(f"gather error: {message}")


def main(url, locale, profiles):
    config["licenses_group_url"] = LICENSES.as_uri()
    config["ckan.locale_default"] = locale
    content, rdf_format = Harvester()._get_content_and_type(url, harvest_job=None)
    parsed = {}
    for profile in profiles:
        parser = RDFParser(profiles=None if profile == "default" else [profile])
        parser.parse(content, _format=rdf_format)
        parsed[profile] = {"datasets": list(parser.datasets()), "next_page": parser.next_page()}
    json.dump({"format": rdf_format, "parsed": parsed}, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
