"""A view's chart as a PNG (REST "Query View Image"), drawn pixel by pixel: no imaging library.

Bars or a line on a white background with an axis; no text (the SVG rendering has the labels).
"""

import struct
import zlib
from typing import Any

from .charts import HEIGHT, WIDTH, points

_WHITE, _AXIS, _MARK = (255, 255, 255), (153, 153, 153), (78, 121, 167)
_BOTTOM = 40


class _Canvas:
    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.pixels = bytearray(bytes(_WHITE) * width * height)

    def rect(self, x0: float, y0: float, x1: float, y1: float, colour: tuple[int, int, int]) -> None:
        left, right = max(int(x0), 0), min(int(x1), self.width)
        top, bottom = max(int(y0), 0), min(int(y1), self.height)
        row = bytes(colour) * max(right - left, 0)
        for y in range(top, bottom):
            start = (y * self.width + left) * 3
            self.pixels[start:start + len(row)] = row

    def segment(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        steps = int(max(abs(b[0] - a[0]), abs(b[1] - a[1]))) + 1
        for i in range(steps + 1):
            x = a[0] + (b[0] - a[0]) * i / steps
            y = a[1] + (b[1] - a[1]) * i / steps
            self.rect(x - 1.5, y - 1.5, x + 1.5, y + 1.5, _MARK)

    def encode(self) -> bytes:
        stride = self.width * 3
        raw = b"".join(
            b"\x00" + bytes(self.pixels[y * stride:(y + 1) * stride]) for y in range(self.height)
        )
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)  # 8-bit RGB
        return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + \
            _chunk(b"IEND", b"")


def render(chart: dict[str, Any], width: int = WIDTH, height: int = HEIGHT) -> bytes:
    canvas = _Canvas(width, height)
    base = height - _BOTTOM
    coords = points(chart, width, height)
    if chart["type"] == "bar":
        for x, y, slot in coords:
            canvas.rect(x - slot * 0.3, y, x + slot * 0.3, base, _MARK)
    else:
        for (x0, y0, _), (x1, y1, _) in zip(coords, coords[1:], strict=False):
            canvas.segment((x0, y0), (x1, y1))
        for x, y, _ in coords:
            canvas.rect(x - 4, y - 4, x + 4, y + 4, _MARK)
    canvas.rect(48, base, width - 16, base + 1, _AXIS)
    return canvas.encode()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
