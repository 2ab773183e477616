"""Spoken announcements: a message's text read aloud as a WAV file for the loudspeaker and the kiosk.

Debian's espeak-ng (1.51) speaks Persian, so Dari is read by its ``fa`` voice. It has no Pashto
and no Tajik voice:

- Pashto is read by the Persian voice after its own letters are folded into the nearest Persian
  ones (ښ→ش, ډ→د, ږ→ژ, ټ→ت, ړ→ر, ڼ→ن, ې/ۍ/ئ→ی, ځ→ز, څ→س, ګ→گ): the Persian voice would otherwise
  spell each of them out as "letter ...". Understandable, with a Dari accent; a recording is better.
- Tajik (Cyrillic) is transliterated to Latin and read by the ``fa-latn`` (Persian in Latin) voice:
  Tajik is Persian, so the sounds are right, the intonation flat. The Russian voice spells the
  Tajik letters (ӣ, ӯ, қ, ҳ, ҷ, ғ) one by one and is not used.
- Russian, Uzbek and English have voices of their own.

Where the synthetic voice is not good enough, staff upload a recording (``check_recording``,
``save_recording``). The text goes to espeak-ng on its standard input, never on a command line
(visible to every process) and never in a log.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.config import upload_limit
from app.errors import UserValueError
from registration.names import CYRILLIC_TO_LATIN

MAX_TEXT = 2000
#: words a minute: slower than espeak's 175, for a loudspeaker across a camp
SPEED = 140
#: the longest uploaded recording (seconds) where its length can be read (WAV)
MAX_RECORDING_SECONDS = 600


@dataclass(frozen=True)
class Voice:
    espeak: str
    #: 'native' (a voice for the language), 'approximate' (another voice, adapted: a recording is better)
    quality: str
    note: object


VOICES = {
    "fa": Voice("fa", "native", _l("Read by the Persian voice.")),
    "ps": Voice(
        "fa",
        "approximate",
        _l("No Pashto voice: read by the Persian voice with a Dari accent. Upload a recording where you can."),
    ),
    "tg": Voice(
        "fa-latn",
        "approximate",
        _l(
            "No Tajik voice: read by the Persian voice from a Latin "
            "transliteration, with flat intonation. Upload a recording where "
            "you can."
        ),
    ),
    "ru": Voice("ru", "native", _l("Read by the Russian voice.")),
    "uz": Voice("uz", "native", _l("Read by the Uzbek voice.")),
    "en": Voice("en-gb", "native", _l("Read by the English voice.")),
}

_PASHTO_TO_PERSIAN = str.maketrans(
    {
        "ښ": "ش",
        "ډ": "د",
        "ږ": "ژ",
        "ټ": "ت",
        "ړ": "ر",
        "ڼ": "ن",
        "ې": "ی",
        "ۍ": "ی",
        "ئ": "ی",
        "ي": "ی",
        "ځ": "ز",
        "څ": "س",
        "ګ": "گ",
        "ك": "ک",
    }
)
#: the names' Cyrillic table (``registration.names``), but for what the Persian voice should say:
#: the hard sign a pause, щ and ы as a Tajik reader says them
_TAJIK_TO_LATIN = str.maketrans(CYRILLIC_TO_LATIN | {"ъ": "'", "щ": "sh", "ы": "i"})


class AudioUnavailable(UserValueError):
    """espeak-ng is not installed on this server."""


def voice_for(language: str) -> Voice:
    try:
        return VOICES[language]
    except KeyError:
        raise UserValueError(_("Spoken announcements are not available in this language."), field="language") from None


def prepare(text: str, language: str) -> str:
    """The text as the chosen voice should receive it (folded or transliterated)."""
    if language == "ps":
        return text.translate(_PASHTO_TO_PERSIAN)
    if language == "tg":
        return "".join(
            ch.translate(_TAJIK_TO_LATIN) if ch.islower() else ch.lower().translate(_TAJIK_TO_LATIN).capitalize()
            for ch in text
        )
    return text


def render_announcement(text: str, language: str) -> bytes:
    """The text spoken in ``language`` as a WAV file (mono, 22 050 Hz, 16-bit)."""
    text = " ".join((text or "").split())
    if not text:
        raise UserValueError(_("Write the text to be read aloud."), field="text")
    if len(text) > MAX_TEXT:
        raise UserValueError(_("An announcement is read from at most %(n)d characters.", n=MAX_TEXT), field="text")
    voice = voice_for(language)
    program = shutil.which("espeak-ng")
    if program is None:
        raise AudioUnavailable(_("Spoken announcements need espeak-ng on the server (apt-get install espeak-ng)."))
    # a fixed program and options; the text goes on stdin
    command = [program, "-v", voice.espeak, "-s", str(SPEED), "-b", "1", "--stdout"]
    done = subprocess.run(  # noqa: S603
        command,
        input=prepare(text, language).encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
        raise AudioUnavailable(_("The announcement could not be spoken: espeak-ng failed."))
    return _fixed_lengths(done.stdout)


def _fixed_lengths(data: bytes) -> bytes:
    """espeak-ng writing to a pipe cannot go back to fill in the WAV lengths: rewrite the header."""
    start = data.index(b"data", 12) + 8
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(int.from_bytes(data[22:24], "little"))
        wav.setframerate(int.from_bytes(data[24:28], "little"))
        wav.setsampwidth(int.from_bytes(data[34:36], "little") // 8)
        wav.writeframes(data[start:])
    return out.getvalue()


# --- recordings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    mime: str
    extension: str
    #: known for WAV only (other formats would need a decoder)
    seconds: float | None


#: what phones and laptops record, told by the file's first bytes (never by its name or the browser)
def _kind(data: bytes) -> tuple[str, str] | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav", "wav"
    if data[:4] == b"OggS":
        return "audio/ogg", "ogg"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg", "mp3"
    if data[4:8] == b"ftyp":
        return "audio/mp4", "m4a"
    if data[:4] == b"\x1aE\xdf\xa3":
        return "audio/webm", "webm"
    if data[:6] == b"#!AMR\n":
        return "audio/amr", "amr"
    return None


def check_recording(data: bytes) -> Recording:
    """An uploaded recording, checked: a sound file of a known kind, not too big or too long."""
    limit = upload_limit("AUDIO_MAX_MB")
    if not data:
        raise UserValueError(_("Choose a recording to upload."), field="recording")
    if len(data) > limit * 1024 * 1024:
        raise UserValueError(_("A recording may be at most %(n)d MB.", n=limit), field="recording")
    kind = _kind(data)
    if kind is None:
        raise UserValueError(
            _("This is not a recording we can play: upload WAV, MP3, OGG, M4A, WebM or AMR."), field="recording"
        )
    seconds = None
    if kind[1] == "wav":
        try:
            with wave.open(io.BytesIO(data)) as wav:
                seconds = wav.getnframes() / float(wav.getframerate() or 1)
        except (wave.Error, EOFError):
            raise UserValueError(_("This WAV file is damaged."), field="recording") from None
        if seconds > MAX_RECORDING_SECONDS:
            raise UserValueError(
                _("A recording may last at most %(n)d minutes.", n=MAX_RECORDING_SECONDS // 60), field="recording"
            )
    return Recording(kind[0], kind[1], seconds)


def save_recording(folder: str | os.PathLike, data: bytes) -> str:
    """Store a checked recording under ``folder`` by its content's hash; return the file's name.

    The same recording uploaded twice is one file; the name says nothing about the message.
    """
    recording = check_recording(data)
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{recording.extension}"
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    target = path / name
    if not target.exists():
        temporary = path / f".{name}.{os.getpid()}"
        temporary.write_bytes(data)
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    return name
