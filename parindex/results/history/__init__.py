"""Importing results published before the system was used (kết quả các năm trước), so
that year-over-year comparison works from the first season on the system.

:func:`~parindex.results.history.services.history_import` stores a published version
(``source = imported``, status *published*) of a period of the given year and jurisdiction
(created when missing, status *finalised*, without criteria sets) from one or more files:

- a ``parindex-evaluation/1`` file: scored by the engine, exactly as the system scores a
  period (rows, ranks, classes, statistics, the leader rating by the usual rules);
- a ``parindex-results/1`` document (what ``parindex evaluate`` prints): stored as is.
  Given together with the evaluation file of the same units, it is checked against the
  engine instead (index, rank, class and total must agree);
- a table of the published ranking (XLSX, or CSV/ODS) with the template's columns (see
  :data:`~parindex.results.history.columns.TEMPLATE_COLUMNS` and
  :func:`~parindex.results.history.template.history_template_xlsx`); the open data download
  ``bang-xep-hang.csv|xlsx`` is accepted too.

Groups are matched to the system's unit groups by code (or name); an unknown group is an
error. Units are matched by code; a code the system does not know (a unit merged or
dissolved since) is imported all the same, with a warning, and is not linked to a unit.
Ranks are taken from the file, or computed by the engine's ranking when the column is
blank for the whole group; statistics (mean, max, min, spread, classes) are the engine's
document's or computed with the engine's rounding (Decimal throughout).

All or nothing: every file is read and every row checked before anything is stored, each
problem in Vietnamese naming the file, the row and the column. Importing the same results
again stores nothing; different results for a year already imported need a reason and
become a correction (a new version superseding the previous one), as on the system.

Where things live: :mod:`.files` tells the files apart and hands each to its reader
(:mod:`.evaluation_file`, :mod:`.results_file`, :mod:`.table_file` over
:mod:`.table_cells`), all collecting into a :class:`.reader.Reader`; :mod:`.completion`
fills in ranks, places and statistics; :mod:`.services` checks and stores
(:mod:`.storing`, :mod:`.period`); :mod:`.selectors` reads; :mod:`.template` is the XLSX
template of :mod:`.columns`.
"""
