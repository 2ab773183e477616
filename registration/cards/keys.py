"""Card signing keys: one Ed25519 private key per PEM file ``<folder>/<kid>.pem``, outside the repository.

Key ids run K1, K2, ...; the highest is the one to sign new cards with. Old keys stay in the folder so
cards they signed keep verifying until they expire (rotation). Only public keys ever leave the server.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_FILE_RE = re.compile(r"K([1-9][0-9]{0,6})\.pem")


def kids(folder: Path) -> list[str]:
    """Key ids with a key file in ``folder``, oldest first."""
    if not Path(folder).is_dir():
        return []
    numbers = sorted(int(m[1]) for m in map(KEY_FILE_RE.fullmatch, os.listdir(folder)) if m)
    return [f"K{n}" for n in numbers]


def latest(folder: Path) -> str | None:
    """The key id to sign new cards with, or None before the first key exists."""
    found = kids(folder)
    return found[-1] if found else None


def _pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _make_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(mode=0o700, parents=True)
        folder.chmod(0o700)  # mkdir's mode is reduced by the umask


def generate(folder: Path) -> tuple[str, bytes]:
    """Create the next key; returns (kid, raw 32-byte public key).

    The file is created 0600 with O_EXCL, so two processes never share or overwrite a key: the loser of
    a race moves on to the next id.
    """
    folder = Path(folder)
    _make_folder(folder)
    private_key = Ed25519PrivateKey.generate()
    number = int((latest(folder) or "K0")[1:])
    for _attempt in range(10):
        number += 1
        kid = f"K{number}"
        try:
            fd = os.open(folder / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as file:
            file.write(_pem(private_key))
        return kid, public_raw(private_key)
    raise RuntimeError(f"could not create a key file in {folder}")


def load_private(folder: Path, kid: str) -> Ed25519PrivateKey:
    if not KEY_FILE_RE.fullmatch(f"{kid}.pem"):
        raise ValueError(f"not a key id: {kid!r}")
    key = serialization.load_pem_private_key((Path(folder) / f"{kid}.pem").read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{kid}.pem is not an Ed25519 key")
    return key


def public_raw(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def b64url(raw: bytes) -> str:
    """How ``GET /api/v1/cards/keys`` publishes a raw public key: base64url without padding."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def published_keys(folder: Path) -> list[dict[str, str]]:
    """``[{"kid": "K1", "public_key": "<base64url>"}, ...]`` for every key in ``folder``, oldest first."""
    return [{"kid": kid, "public_key": b64url(public_raw(load_private(folder, kid)))} for kid in kids(folder)]


def public_keys(folder: Path) -> dict[str, Ed25519PublicKey]:
    """The verification keys by id, as ``token.verify`` takes them."""
    return {kid: load_private(folder, kid).public_key() for kid in kids(folder)}
