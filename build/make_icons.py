"""Render resources/icons/app.svg into the raster icons the installers need: app.png, app.ico, app.icns.

Run after changing the SVG (`QT_QPA_PLATFORM=offscreen .venv/bin/python build/make_icons.py`) and commit the
results; the builds use the committed files, so no build machine needs an SVG toolchain.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The ICNS types Qt's writer can store, by edge length (PNG-compressed entries).
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def write_icns(path: Path, images: dict[int, QImage]) -> None:
    """An ICNS file is a header plus (type, length, PNG) entries; macOS reads PNG entries for these types."""
    chunks = b""
    for size, kind in ICNS_TYPES.items():
        body = png_bytes(images[size])
        chunks += kind + (8 + len(body)).to_bytes(4, "big") + body
    path.write_bytes(b"icns" + (8 + len(chunks)).to_bytes(4, "big") + chunks)


def write_ico(path: Path, images: dict[int, QImage]) -> None:
    """ICO with PNG-compressed entries (Windows Vista and later read them); 256 is stored as 0 in the header."""
    bodies = [png_bytes(images[size]) for size in ICO_SIZES]
    header = (0).to_bytes(2, "little") + (1).to_bytes(2, "little") + len(ICO_SIZES).to_bytes(2, "little")
    offset = 6 + 16 * len(ICO_SIZES)
    entries = b""
    for size, body in zip(ICO_SIZES, bodies, strict=True):
        edge = size if size < 256 else 0
        entries += bytes([edge, edge, 0, 0]) + (1).to_bytes(2, "little") + (32).to_bytes(2, "little")
        entries += len(body).to_bytes(4, "little") + offset.to_bytes(4, "little")
        offset += len(body)
    path.write_bytes(header + entries + b"".join(bodies))


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841  (QPainter on QImage needs a GUI application)
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        print(f"error: cannot read {ICONS / 'app.svg'}", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in sorted({*ICO_SIZES, *ICNS_TYPES})}
    images[256].save(str(ICONS / "app.png"), "PNG")
    write_ico(ICONS / "app.ico", images)
    write_icns(ICONS / "app.icns", images)
    for name in ("app.png", "app.ico", "app.icns"):
        print(f"wrote {ICONS / name} ({(ICONS / name).stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
