"""Text for PDF documents drawn with fpdf2's built-in fonts (Helvetica and the like)."""

import unicodedata

ENCODING = "windows-1252"
"""What the built-in fonts can show; other characters are simplified (Ł → L) or become '?'."""


UNDECOMPOSED = str.maketrans({"Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i"})
"""Letters Unicode does not decompose into a base letter and a mark."""


def printable(text: str) -> str:
    """The text in the fonts' encoding: accents kept where it has them, simplified elsewhere."""
    out = []
    for char in text.translate(UNDECOMPOSED):
        try:
            char.encode(ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        simple = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
        out.append(simple.strip() or "?")
    return "".join(out)
