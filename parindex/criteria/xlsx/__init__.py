"""Criteria sets as Excel workbooks (XLSX): the format a province's appendix is kept in.

A workbook has three sheets that import reads and export writes, plus an instructions sheet
that import ignores:

* «Tiêu chí»: a header row, then one row per node in display order
  (:data:`~parindex.criteria.xlsx.layout.NODE_COLUMNS`).
* «Thông tin»: one row per setting of the set, key in column A and value in column B
  (:data:`~parindex.criteria.xlsx.layout.INFO_FIELDS`); column C is a hint and is ignored.
* «Xếp loại»: a header row, then one row per classification band, highest first.
* «Hướng dẫn»: how to fill in the workbook (never read).

:func:`~parindex.criteria.xlsx.reading.read_workbook` turns a workbook into the criteria
part of a ``parindex-evaluation/1`` document (the format
:func:`parindex.engine.evalfile.parse_criteria` validates) plus the set's identifying fields.
It checks only what belongs to the file format (numbers, labels, yes/no, codes, sizes), each
problem named by sheet, row and column; the scoring semantics (tree, maxima, rules, band
order) are left to the engine, whose messages
:meth:`~parindex.criteria.xlsx.places.ParsedWorkbook.locate` maps back to sheet rows.
:func:`~parindex.criteria.xlsx.writing.write_workbook` writes the same layout from the
document :func:`parindex.criteria.selectors.criteria_set_document` returns, so that reading
what was written gives the same document again (round trip).

Nothing here raises anything but :class:`InputError` for a bad file.

Modules: :mod:`.layout` (sheets, columns, settings), :mod:`.cells` (cell values),
:mod:`.places` (problem places, the parsed workbook), :mod:`.loading` (opening the file),
:mod:`.tables` (sheets with a header row), :mod:`.reading` (nodes, bands, the document),
:mod:`.info_sheet` (the settings sheet), :mod:`.writing` (export and template).
"""
