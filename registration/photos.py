"""Photos from the desk's webcam or a file: checked, turned upright and stored small (~30-60 KB JPEG)."""
from __future__ import annotations

import base64
import binascii
import io
import warnings

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.errors import UserValueError

MAX_UPLOAD_BYTES = 6 * 1024 * 1024
MAX_PIXELS = 40_000_000
STORED_SIZE = (360, 480)
JPEG_QUALITY = 80
#: what a distribution point keeps offline for each household (about 1-2 KB)
THUMB_SIZE = (48, 64)
THUMB_QUALITY = 60


def process_photo(data: bytes, field: str = 'photo') -> bytes:
    """Return a small upright JPEG, or raise UserValueError for oversize or non-image data."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UserValueError(_('The photo is too large (more than %(mb)d MB).', mb=MAX_UPLOAD_BYTES // 2**20),
                             field=field)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('error', Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in {'JPEG', 'PNG', 'WEBP'}:
                    raise UserValueError(_('The photo must be a JPEG or PNG picture.'), field=field)
                image = ImageOps.exif_transpose(image).convert('RGB')
                image.thumbnail(STORED_SIZE)
                out = io.BytesIO()
                image.save(out, 'JPEG', quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UserValueError(_('This file is not a picture we can read.'), field=field) from None
    return out.getvalue()


def thumbnail(jpeg: bytes) -> bytes:
    """A stamp-sized copy of a stored photo, small enough to keep thousands on a phone."""
    with Image.open(io.BytesIO(jpeg)) as image:
        image = image.convert('RGB')
        image.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        image.save(out, 'JPEG', quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()


def from_data_url(text: str, field: str = 'photo') -> bytes | None:
    """Decode the ``data:image/jpeg;base64,...`` a webcam capture puts in a hidden field."""
    if not text:
        return None
    header, _sep, payload = text.partition(',')
    if not header.startswith('data:image/') or ';base64' not in header:
        raise UserValueError(_('This file is not a picture we can read.'), field=field)
    if len(payload) > MAX_UPLOAD_BYTES * 4 // 3 + 4:
        raise UserValueError(_('The photo is too large (more than %(mb)d MB).', mb=MAX_UPLOAD_BYTES // 2**20),
                             field=field)
    try:
        return base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise UserValueError(_('This file is not a picture we can read.'), field=field) from None


def to_data_url(jpeg: bytes) -> str:
    """Put a processed photo back into the form when it is shown again after an error."""
    return 'data:image/jpeg;base64,' + base64.b64encode(jpeg).decode()
