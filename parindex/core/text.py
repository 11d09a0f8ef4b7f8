"""Vietnamese text helpers: diacritic folding for search."""

import unicodedata


def fold(text: str) -> str:
    """Fold Vietnamese text for diacritic-insensitive search: "Cải cách" -> "cai cach".

    đ/Đ are not decomposed by NFD, so they are mapped first. NUL characters are dropped
    (no name holds one, and PostgreSQL refuses them in a query: a search is never a 500).
    """
    text = text.replace("\x00", "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
