"""Photos from the desk's webcam or a file: checked, turned upright and stored small (~30-60 KB JPEG).

A photo is judged by its header before it is decoded: too many pixels are refused with a message
(``PANOH_PHOTO_MAX_MEGAPIXELS``). A JPEG is decoded at a reduced scale (1/2 to 1/8), so even a
40-megapixel one costs a few megabytes and milliseconds; other formats are decoded in full and are
held to fewer pixels. Callers process photos before their request takes the write lock.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.config import upload_limit
from app.errors import UserValueError

MAX_UPLOAD_BYTES = 6 * 1024 * 1024
#: pixels of a picture that can only be decoded in full (PNG, WebP), or whose every scan is kept in
#: memory at full size (a progressive JPEG): a 4K screenshot has 8.3 million
MAX_FULL_DECODE_PIXELS = 16_000_000
STORED_SIZE = (360, 480)
JPEG_QUALITY = 80
#: what a distribution point keeps offline for each household (about 1-2 KB)
THUMB_SIZE = (48, 64)
THUMB_QUALITY = 60


def process_photo(data: bytes, field: str = "photo") -> bytes:
    """Return a small upright JPEG, or raise UserValueError for oversize or non-image data."""
    if not isinstance(data, bytes | bytearray):  # e.g. text where the API expects no photo at all
        raise UserValueError(_("This file is not a picture we can read."), field=field)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UserValueError(
            _("The photo is too large (more than %(mb)d MB).", mb=MAX_UPLOAD_BYTES // 2**20), field=field
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # judged below, by our own limit
            image: Image.Image
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                if image.format not in {"JPEG", "PNG", "WEBP"}:
                    raise UserValueError(_("The photo must be a JPEG or PNG picture."), field=field)
                _check_pixels(image, field)
                if image.format == "JPEG":
                    # decode at the smallest scale that still covers the stored size, either way up
                    image.draft("RGB", (max(STORED_SIZE), max(STORED_SIZE)))
                image = ImageOps.exif_transpose(image).convert("RGB")
                image.thumbnail(STORED_SIZE)
                out = io.BytesIO()
                image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except Image.DecompressionBombError:  # so many pixels that Pillow itself refuses to open it
        raise UserValueError(
            _(
                "The photo has more than %(max)d megapixels: take it again at a lower resolution, or make it smaller.",
                max=upload_limit("PHOTO_MAX_MEGAPIXELS"),
            ),
            field=field,
        ) from None
    except (UnidentifiedImageError, OSError):
        raise UserValueError(_("This file is not a picture we can read."), field=field) from None
    return out.getvalue()


def _check_pixels(image: Image.Image, field: str) -> None:
    """Refuse a picture whose header declares more pixels than it may be decoded with."""
    limit = upload_limit("PHOTO_MAX_MEGAPIXELS") * 1_000_000
    if image.format != "JPEG" or image.info.get("progressive"):
        limit = min(limit, MAX_FULL_DECODE_PIXELS)
    pixels = image.width * image.height
    if pixels > limit:
        raise UserValueError(
            _(
                "The photo has %(mp)d megapixels, more than the %(max)d accepted: take it again at "
                "a lower resolution, or make it smaller.",
                mp=round(pixels / 1e6),
                max=limit // 1_000_000,
            ),
            field=field,
        )


def thumbnail(jpeg: bytes) -> bytes:
    """A stamp-sized copy of a stored photo, small enough to keep thousands on a phone."""
    image: Image.Image
    with Image.open(io.BytesIO(jpeg)) as image:
        image = image.convert("RGB")
        image.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()


def from_data_url(text: str, field: str = "photo") -> bytes | None:
    """Decode the ``data:image/jpeg;base64,...`` a webcam capture puts in a hidden field."""
    if not text:
        return None
    header, _sep, payload = text.partition(",")
    if not header.startswith("data:image/") or ";base64" not in header:
        raise UserValueError(_("This file is not a picture we can read."), field=field)
    if len(payload) > MAX_UPLOAD_BYTES * 4 // 3 + 4:
        raise UserValueError(
            _("The photo is too large (more than %(mb)d MB).", mb=MAX_UPLOAD_BYTES // 2**20), field=field
        )
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UserValueError(_("This file is not a picture we can read."), field=field) from None


def to_data_url(jpeg: bytes) -> str:
    """Put a processed photo back into the form when it is shown again after an error."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()
