"""Import of CMS FHIR bulk exports (BCDA: NDJSON of ``ExplanationOfBenefit``, ``Patient`` and
``Coverage`` resources, FHIR R4, CARIN Blue Button profiles; docs/ingest.md, "FHIR bulk exports").

The rooms:

* ``mapping``: pure functions from one resource (a dict as parsed from JSON) to our row fields:
  claim lines of an ``ExplanationOfBenefit``, a beneficiary's facts from ``Patient`` and
  ``Coverage``. Only the elements the rows need are read; no FHIR object model is built.
* ``export``: an export on disk (a folder of ``.ndjson`` / ``.ndjson.gz`` files, or an unpacked
  zip/tar) read as a delivery: streamed, versions of a claim resolved as for CCLF, through the
  one storage path (:func:`service.ingest.deliveries.import_delivery`).
"""
