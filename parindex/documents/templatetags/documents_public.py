"""``{% public_documents version %}``: the results report and notice made from a published
version, on the public results pages (the results app's templates load it; the results app
imports nothing of the documents)."""

from __future__ import annotations

from typing import Any

from django import template

from parindex.documents.selectors import public_documents as _public_documents

register = template.Library()


@register.inclusion_tag("documents/_public.html")
def public_documents(version: Any) -> dict[str, Any]:
    return {
        "documents": _public_documents(version) if version is not None else [],
        "version": version,
    }
