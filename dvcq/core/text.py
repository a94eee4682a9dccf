"""Matching text the way officials type it: without accents, in any case."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so 'so noi vu' finds 'Sở Nội vụ'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def slug(text: str) -> str:
    """'UBND huyện Đại Từ' -> 'ubnd-huyen-dai-tu': ids and file names from names."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
