"""Import of CMS CCLF deliveries (fixed-width claim and claim line feeds; docs/ingest.md,
"CCLF deliveries").

A delivery is a directory (or an unpacked zip/tar, :mod:`service.ingest.archive`) with one file
per CCLF type. The rooms:

* ``layouts``: one declarative layout per file type (field name, 1-based inclusive start and end,
  record length) and the readers of single fields; the parser, the CCLF0 check and the test
  generator (tests/support/cclf_data.py) all read the same tables.
* ``manifest``: the check of a delivery against its CCLF0 summary (a refused delivery stores
  nothing).
* ``versions``: which version of a claim counts, and how each version is stored.
* ``delivery``: the mapping of a checked delivery onto our alignment and claim fields.
* ``importer``: a delivery through the one storage path, in the caller's transaction.
"""
