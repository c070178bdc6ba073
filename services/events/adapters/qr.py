"""QR codes as PNG images."""

import io

import segno


def png(content: str, *, scale: int = 8) -> bytes:
    """A QR code of `content` (medium error correction, a quiet zone of four modules)."""
    buffer = io.BytesIO()
    segno.make(content, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
