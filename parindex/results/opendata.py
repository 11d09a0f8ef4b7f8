"""Open data: every published table as CSV, XLSX and JSON, for anyone (no account).

Read only through :mod:`parindex.results.published` (a draft, a failed computation or an
unknown period, version, group or unit is a 404). ``?phien-ban=N`` selects an earlier,
superseded version; without it the period's current version is served.

- ``/cong-bo/<kỳ>/<nhóm>/bang-xep-hang.csv|xlsx|json``: the group's ranking table;
- ``/cong-bo/<kỳ>/<nhóm>/diem-chi-tiet.csv|xlsx``: every unit's points per field and
  criterion;
- ``/cong-bo/<kỳ>/du-lieu.json``: the whole version (decision, groups, statistics and every
  unit's ``parindex-results/1`` detail).

Numbers are the exact decimal strings ``parindex evaluate`` prints (stored with the
version): a dot as decimal mark in CSV and JSON, real numbers in XLSX. CSV is UTF-8 with a
BOM (so Excel shows the diacritics) and streamed; XLSX is written in XlsxWriter's
constant-memory mode; the whole-version JSON is streamed unit by unit. Every text cell of
CSV and XLSX goes through :func:`parindex.core.cells.inert`: a unit or criterion named
``=…`` comes out as text, never as a formula (JSON is not a spreadsheet: left as it is).
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from parindex.core.cells import inert, inert_row
from parindex.core.converters import parse_id
from parindex.core.formatting import format_vn
from parindex.core.replica import read_alias
from parindex.core.text import fold
from parindex.engine.evalfile import num
from parindex.engine.model import SURVEY
from parindex.periods.models import PeriodKind
from parindex.results.models import (
    ResultGroup,
    ResultRow,
    ResultVersion,
    VersionSource,
    VersionStatus,
)
from parindex.results.opendata_charts import ChartColumns, GroupCharts
from parindex.results.published import (
    get_group,
    get_public_version,
    group_rows,
    period_versions,
    version_groups,
)

VERSION_PARAM = "phien-ban"
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 2000
"""Rows read from the database at a time."""
HEADER_ROWS = 5
"""Rows of the XLSX header block (title, period, decision, version, blank)."""


@dataclass(frozen=True)
class Column:
    key: str
    """The JSON key."""
    label: str
    """The Vietnamese header of CSV and XLSX."""
    kind: str
    """``text``, ``points`` (the set's point places), ``index`` (index places) or ``int``."""


RANKING_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", "text"),
    Column("name", "Tên đơn vị", "text"),
    Column("parent", "Trực thuộc", "text"),
    Column("group", "Nhóm", "text"),
    Column("points", "Điểm thẩm định", "points"),
    Column("survey", "Điểm khảo sát", "points"),
    Column("bonus", "Điểm thưởng", "points"),
    Column("penalty", "Điểm trừ", "points"),
    Column("total", "Tổng điểm", "points"),
    Column("max", "Điểm tối đa", "points"),
    Column("index", "Chỉ số (%)", "index"),
    Column("rank", "Xếp hạng", "int"),
    Column("class_label", "Xếp loại", "text"),
    Column("leader_rating", "Đánh giá người đứng đầu", "text"),
    Column("previous_index", "Chỉ số năm trước (%)", "index"),
    Column("index_change", "Tăng/giảm chỉ số", "index"),
    Column("previous_rank", "Hạng năm trước", "int"),
    Column("rank_change", "Tăng/giảm hạng", "int"),
)
"""The ranking table (bảng xếp hạng), in the order of the downloads."""


# --------------------------------------------------------------------------- reading


def requested_version(request: HttpRequest, period_pk: int) -> ResultVersion:
    """The version the request asks for: ``?phien-ban=N`` or the current one (else 404)."""
    raw = request.GET.get(VERSION_PARAM, "").strip()
    if not raw:
        return get_public_version(period_pk, using=read_alias())
    number = parse_id(raw)  # None for 5,000 digits too, never int()'s ValueError
    if number is None or number < 1:
        raise Http404("Phiên bản không hợp lệ")
    return get_public_version(period_pk, number, using=read_alias())


def ranking_values(group: ResultGroup, row: ResultRow) -> dict[str, Any]:
    """One line of the ranking table: decimal strings exactly as the engine printed them
    (``None`` where the unit has no such number, e.g. a unit that is not surveyed)."""
    detail: dict[str, Any] = row.detail or {}

    def text(key: str) -> str | None:
        value = detail.get(key)
        return None if value is None else str(value)

    index = text("index")
    if index is None:  # every stored row has it; a fallback for safety
        index = format(row.index.quantize(Decimal(1).scaleb(-group.index_places)), "f")
    return {
        "code": row.code,
        "name": row.name,
        "parent": row.parent_name or None,
        "group": group.name,
        "points": text("points") if row.points is not None else None,
        "survey": text("survey") if row.survey is not None else None,
        "bonus": text("bonus"),
        "penalty": text("penalty"),
        "total": text("total") if row.total is not None else None,
        "max": text("max") if row.max is not None else None,
        "index": index,
        "rank": row.rank,
        "class_label": row.class_label or None,
        "leader_rating": row.leader_rating or None,
        "previous_index": text("previous_index"),
        "index_change": text("index_change"),
        "previous_rank": row.previous_rank,
        "rank_change": row.rank_change,
    }


def _rows(group: ResultGroup) -> Iterator[ResultRow]:
    """The group's rows in rank order with their detail, a chunk at a time."""
    return group_rows(group).defer(None).iterator(chunk_size=CHUNK)


def detail_columns(group: ResultGroup) -> list[dict[str, Any]]:
    """The nodes of the points table: every field, criterion and sub-criterion in display
    order (only the fields when the version was imported without its criteria)."""
    nodes: list[dict[str, Any]] = list(group.nodes or []) or list(group.fields or [])
    return nodes


def detail_header(group: ResultGroup) -> list[str]:
    header = ["Mã đơn vị", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]
    for node in detail_columns(group):
        name = str(node.get("name") or "").strip()
        label = f"{node['code']} {name}" if name and name != node["code"] else str(node["code"])
        if node.get("max") is not None:
            label += f" (tối đa {format_vn(Decimal(str(node['max'])).normalize())})"
        header.append(label)
    header += ["Không áp dụng", "Chưa có điểm"]
    return header


def _codes(codes: Iterable[str]) -> str:
    return ", ".join("khảo sát" if code == SURVEY else code for code in codes)


def detail_values(group: ResultGroup, row: ResultRow, nodes: list[dict[str, Any]]) -> list[Any]:
    """One line of the points table; a blank cell is a node that does not apply."""
    detail: dict[str, Any] = row.detail or {}
    points = {n["code"]: n["points"] for n in detail.get("nodes", [])}
    for field in detail.get("fields", []):
        points.setdefault(field["code"], field["points"])
    index = ranking_values(group, row)["index"]
    return [
        row.code,
        row.name,
        index,
        row.rank,
        *[points.get(node["code"]) for node in nodes],
        _codes(detail.get("not_applicable", [])),
        _codes(detail.get("missing", [])),
    ]


# --------------------------------------------------------------------------- descriptions


def period_info(version: ResultVersion) -> dict[str, Any]:
    period = version.period
    return {
        "id": period.pk,
        "name": period.name,
        "year": period.year,
        "kind": period.kind,
        "jurisdiction": {"code": period.jurisdiction.code, "name": period.jurisdiction.name},
    }


def version_info(version: ResultVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "current": version.status == VersionStatus.PUBLISHED,
        "source": version.source,
        "decision": {
            "number": version.decision_number,
            "date": version.decision_date.isoformat() if version.decision_date else None,
            "signer_name": version.signer_name,
            "signer_title": version.signer_title,
        },
        "reason": version.reason,
        "published_at": version.published_at.isoformat() if version.published_at else None,
    }


def versions_info(version: ResultVersion) -> list[dict[str, Any]]:
    return [
        {
            "number": v.number,
            "current": v.status == VersionStatus.PUBLISHED,
            "decision_number": v.decision_number,
            "decision_date": v.decision_date.isoformat() if v.decision_date else None,
            "reason": v.reason,
        }
        for v in period_versions(version)
    ]


def group_info(group: ResultGroup, *, nodes: bool = False) -> dict[str, Any]:
    info: dict[str, Any] = {
        "code": group.code,
        "name": group.name,
        "criteria_name": group.criteria_name,
        "points_places": group.points_places,
        "index_places": group.index_places,
        "survey_max": num(group.survey_max) if group.survey_max is not None else None,
        "classified": group.classified,
        "units_count": group.units_count,
        "fields": group.fields,
        "stats": group.stats,
    }
    if nodes:
        info["nodes"] = [
            {key: node.get(key) for key in ("code", "name", "parent", "max")}
            for node in group.nodes or []
        ]
    return info


def decision_text(version: ResultVersion) -> str:
    """ "Quyết định số 125/QĐ-UBND ngày 01/03/2024 của Chủ tịch Trần Văn Hùng"."""
    text = f"Quyết định công bố số {version.decision_number or '—'}"
    if version.decision_date:
        text += f" ngày {version.decision_date:%d/%m/%Y}"
    signer = " ".join(p for p in (version.signer_title, version.signer_name) if p)
    if signer:
        text += f" của {signer}"
    return text


def version_text(version: ResultVersion) -> str:
    text = f"Phiên bản {version.number}"
    if version.status == VersionStatus.SUPERSEDED:
        text += " (đã được đính chính bằng phiên bản sau)"
    if version.reason:
        text += f"; đính chính: {version.reason}"
    if version.source == VersionSource.IMPORTED:
        text += "; kết quả đã công bố, nhập vào hệ thống"
    return text


def filename(version: ResultVersion, stem: str, ext: str, group_code: str = "") -> str:
    """An ASCII file name: ``chi-so-cchc-2024-so-ban-nganh-v1.csv``."""
    period = version.period
    parts = [stem, str(period.year)]
    if period.kind == PeriodKind.INTERIM:
        parts.append("6-thang")
    if group_code:
        parts.append(slugify(fold(group_code)) or "nhom")
    parts.append(f"v{version.number}")
    return "-".join(parts) + f".{ext}"


# --------------------------------------------------------------------------- writers


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(inert_row(header))
    for row in rows:
        yield writer.writerow(["" if value is None else inert(value) for value in row])


def _csv_response(header: list[str], rows: Iterator[list[Any]], name: str) -> HttpResponseBase:
    response = StreamingHttpResponse(_csv(header, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _number_format(places: int) -> str:
    return "#,##0" + ("." + "0" * places if places else "")


def _xlsx_response(
    version: ResultVersion,
    group: ResultGroup,
    title: str,
    header: list[str],
    kinds: list[str],
    rows: Iterator[list[Any]],
    name: str,
    columns: ChartColumns | None = None,
) -> HttpResponseBase:
    """A workbook with a header block naming the period, group and decision, then the
    table; numbers as numbers with the set's decimal places; below it the charts of
    ``columns`` (:mod:`parindex.results.opendata_charts`). Constant memory."""
    import xlsxwriter

    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet(title[:31])
    heading = book.add_format({"bold": True, "font_size": 13})
    bold = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7"}
    )
    formats = {
        "points": book.add_format({"num_format": _number_format(group.points_places)}),
        "index": book.add_format({"num_format": _number_format(group.index_places)}),
        "int": book.add_format({"num_format": "0"}),
    }
    for col, kind in enumerate(kinds):
        width = 40 if col == 1 else 14 if kind != "text" else 18
        sheet.set_column(col, col, width)
    period = version.period
    sheet.write_string(
        0, 0, inert(f"Chỉ số cải cách hành chính · {period.name} · {group.name}"), heading
    )
    sheet.write_string(1, 0, inert(f"{period.jurisdiction.name} · kỳ đánh giá {period.name}"))
    sheet.write_string(2, 0, inert(decision_text(version)))
    sheet.write_string(3, 0, inert(version_text(version)))
    for col, label in enumerate(header):
        sheet.write_string(HEADER_ROWS, col, inert(label), bold)
    tally = GroupCharts(group, columns, _number_format(group.index_places)) if columns else None
    line = HEADER_ROWS
    for line, values in enumerate(rows, start=HEADER_ROWS + 1):
        if tally:
            tally.add(values)
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            if value is None or value == "":
                continue
            if kind == "text":
                sheet.write_string(line, col, inert(str(value)))
            else:
                sheet.write_number(line, col, float(Decimal(str(value))), formats[kind])
    sheet.freeze_panes(HEADER_ROWS + 1, 2)
    sheet.autofilter(HEADER_ROWS, 0, max(line, HEADER_ROWS), len(header) - 1)
    if tally:
        tally.write(book, sheet, title[:31], HEADER_ROWS + 1, line)
    book.close()
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)


def _json_response(body: Iterable[str] | str, name: str) -> HttpResponseBase:
    response: HttpResponseBase
    if isinstance(body, str):
        response = HttpResponse(body, content_type=JSON_TYPE)
    else:
        response = StreamingHttpResponse(body, content_type=JSON_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- views


@require_GET
def ranking(request: HttpRequest, pk: int, group_code: str, fmt: str) -> HttpResponseBase:
    """Bảng xếp hạng of one group of a published version."""
    if fmt not in ("csv", "xlsx", "json"):
        raise Http404
    version = requested_version(request, pk)
    group = get_group(version, group_code)
    name = filename(version, "chi-so-cchc", fmt, group.code)
    lines = (ranking_values(group, row) for row in _rows(group))
    if fmt == "json":
        document = {
            "period": period_info(version),
            "version": version_info(version),
            "group": group_info(group),
            "columns": [{"key": c.key, "label": c.label} for c in RANKING_COLUMNS],
            "units": list(lines),
        }
        return _json_response(_dumps(document), name)
    header = [c.label for c in RANKING_COLUMNS]
    rows = ([values[c.key] for c in RANKING_COLUMNS] for values in lines)
    if fmt == "csv":
        return _csv_response(header, rows, name)
    kinds = [c.kind for c in RANKING_COLUMNS]
    keys = [c.key for c in RANKING_COLUMNS]
    columns = ChartColumns(keys.index("name"), keys.index("index"), keys.index("class_label"))
    return _xlsx_response(version, group, "Bảng xếp hạng", header, kinds, rows, name, columns)


@require_GET
def points(request: HttpRequest, pk: int, group_code: str, fmt: str) -> HttpResponseBase:
    """Điểm chi tiết: every unit's points per field and criterion."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    version = requested_version(request, pk)
    group = get_group(version, group_code)
    nodes = detail_columns(group)
    header = detail_header(group)
    name = filename(version, "diem-chi-tiet", fmt, group.code)
    rows = (detail_values(group, row, nodes) for row in _rows(group))
    if fmt == "csv":
        return _csv_response(header, rows, name)
    kinds = ["text", "text", "index", "int", *["points"] * len(nodes), "text", "text"]
    columns = ChartColumns(name=1, index=2)  # no class column: the index chart only
    return _xlsx_response(version, group, "Điểm chi tiết", header, kinds, rows, name, columns)


@require_GET
def version_json(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The whole published version, streamed: decision, groups, statistics, and for every
    unit its ranking line with the engine's ``parindex-results/1`` detail."""
    version = requested_version(request, pk)
    groups = version_groups(version)
    head = {
        "period": period_info(version),
        "version": version_info(version),
        "versions": versions_info(version),
    }

    def body() -> Iterator[str]:
        yield _dumps(head)[:-1] + ', "groups": ['
        for n, group in enumerate(groups):
            yield ("," if n else "") + _dumps(group_info(group, nodes=True))[:-1] + ', "units": ['
            for m, row in enumerate(_rows(group)):
                unit = ranking_values(group, row)
                unit["detail"] = row.detail
                yield ("," if m else "") + _dumps(unit)
            yield "]}"
        yield "]}\n"

    return _json_response(body(), filename(version, "ket-qua-cchc", "json"))
