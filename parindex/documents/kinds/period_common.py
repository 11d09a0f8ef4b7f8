"""What the period documents (results report, notice) share: the texts the chair wrote,
the period's wording, and the header defaults."""

from __future__ import annotations

from dataclasses import dataclass

from parindex.documents.models import DocumentKind, DocumentText
from parindex.documents.naming import agency_code, committee_name, home_affairs, place_name
from parindex.periods.models import Period, PeriodKind


def period_words(period: Period) -> str:
    """ "năm 2024" or "6 tháng đầu năm 2024"."""
    if period.kind == PeriodKind.INTERIM:
        return f"6 tháng đầu năm {period.year}"
    return f"năm {period.year}"


def document_text(period: Period, kind: str) -> DocumentText:
    """The saved texts of a period document, or an unsaved empty one."""
    return DocumentText.objects.filter(period=period, kind=kind).first() or DocumentText(
        period=period, kind=kind
    )


@dataclass(frozen=True)
class Header:
    parent_agency: str
    agency: str
    number: str
    place: str


COUNCIL = "Hội đồng thẩm định Chỉ số CCHC"


def period_header(period: Period, text: DocumentText, *, letters: str) -> Header:
    """Header defaults — the people's committee for a decision, the council for a notice,
    the home-affairs office (Sở/Phòng Nội vụ) for a report — overridden by what the chair
    typed. ``letters`` is the document type in the number ("BC", "TB", "QĐ")."""
    jurisdiction = period.jurisdiction
    committee = committee_name(jurisdiction)
    if text.kind == DocumentKind.NOTICE and text.sections.get("form") == "decision":
        default_parent, default_agency = "", committee
    elif text.kind == DocumentKind.NOTICE:
        default_parent, default_agency = committee, COUNCIL
    else:
        default_parent, default_agency = committee, home_affairs(jurisdiction)
    agency = text.agency or default_agency
    parent = text.parent_agency if text.agency else default_parent
    number = text.number or f"…/{letters}-{agency_code(agency)}"
    return Header(parent, agency, number, text.place or place_name(jurisdiction.name))


def lines(text: str) -> list[str]:
    """A typed text as paragraphs (one per non-empty line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def recipients(text: DocumentText, default: list[str]) -> list[str]:
    typed = [line.lstrip("-• ").strip() for line in text.recipients.splitlines()]
    return [line for line in typed if line] or default
