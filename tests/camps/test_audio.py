"""Spoken announcements with espeak-ng, and uploaded recordings instead."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import wave

import pytest

from app.errors import UserValueError
from camps.communication import audio

espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng (make system-deps)")
DARI = "توزیع بعدی روز شنبه ساعت هشت صبح است."
PASHTO = "راتلونکې ویش د شنبې په ورځ دی. ډېر ښه."
TAJIK = "Тақсимоти навбатӣ рӯзи шанбе соати ҳашт аст."


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return wav.getnframes() / wav.getframerate()


def wav(frames: int = 8000, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x00" * frames)
    return out.getvalue()


@espeak
@pytest.mark.parametrize(
    "text, language",
    [(DARI, "fa"), (PASHTO, "ps"), (TAJIK, "tg"), ("Раздача в субботу.", "ru"), ("Distribution on Saturday.", "en")],
)
def test_each_language_is_spoken_as_a_complete_wav(text, language):
    data = audio.render_announcement(text, language)
    # the header's lengths are the real ones (espeak-ng on a pipe leaves placeholders)
    assert int.from_bytes(data[4:8], "little") == len(data) - 8
    assert 1.0 < seconds(data) < 15.0


@espeak
def test_pashto_letters_are_read_not_spelled_out():
    """The Persian voice spells an unknown letter ("letter six eight six..."): folded, the text is
    read as words, and much faster."""
    raw = subprocess.run(
        ["espeak-ng", "-v", "fa", "-s", str(audio.SPEED), "-b", "1", "--stdout"],
        input=PASHTO.encode(),
        capture_output=True,
        check=True,
    ).stdout
    assert seconds(audio.render_announcement(PASHTO, "ps")) < 0.6 * seconds(audio._fixed_lengths(raw))


def test_pashto_is_folded_and_tajik_transliterated_for_the_persian_voices():
    assert audio.prepare("ډېر ښه ږ ټ ګ", "ps") == "دیر شه ژ ت گ"
    assert audio.prepare(TAJIK, "tg") == "Taqsimoti navbati ruzi shanbe soati hasht ast."
    assert audio.prepare(DARI, "fa") == DARI
    assert (audio.voice_for("ps").quality, audio.voice_for("tg").quality, audio.voice_for("fa").quality) == (
        "approximate",
        "approximate",
        "native",
    )


@pytest.mark.parametrize("text, language", [("", "fa"), ("   ", "fa"), ("x" * 2001, "fa"), ("Hello", "de")])
def test_empty_overlong_or_unknown_language_is_refused(text, language):
    with pytest.raises(UserValueError):
        audio.render_announcement(text, language)


def test_without_espeak_the_server_says_what_to_install(monkeypatch):
    monkeypatch.setattr(audio.shutil, "which", lambda _name: None)
    with pytest.raises(audio.AudioUnavailable, match="espeak-ng"):
        audio.render_announcement(DARI, "fa")


def test_a_recording_is_checked_by_its_content():
    assert audio.check_recording(wav(16000)) == audio.Recording("audio/wav", "wav", 2.0)
    assert audio.check_recording(b"OggS" + b"\x00" * 100).extension == "ogg"
    assert audio.check_recording(b"ID3" + b"\x00" * 100).mime == "audio/mpeg"
    assert audio.check_recording(b"#!AMR\n" + b"\x00" * 100).extension == "amr"
    for bad in (b"", b"%PDF-1.7 not a sound", b"RIFF\x00\x00\x00\x00WAVEbroken"):
        with pytest.raises(UserValueError) as refused:
            audio.check_recording(bad)
        assert refused.value.field == "recording"


def test_a_recording_too_big_or_too_long_is_refused():
    with pytest.raises(UserValueError, match="10 MB"):
        audio.check_recording(b"OggS" + b"\x00" * (10 * 1024 * 1024))
    with pytest.raises(UserValueError, match="10 minutes"):
        audio.check_recording(wav(frames=8000 * 601))


def test_a_saved_recording_is_one_private_file_named_by_its_content(tmp_path):
    first = audio.save_recording(tmp_path, wav())
    again = audio.save_recording(tmp_path, wav())
    assert first == again and first.endswith(".wav") and len(os.listdir(tmp_path)) == 1
    assert (tmp_path / first).read_bytes() == wav() and (tmp_path / first).stat().st_mode & 0o777 == 0o600
