"""A small SMSC for tests and the benchmark: real SMPP 3.4 PDUs over a TCP socket.

It answers bind_transceiver/transmitter, submit_sm (with a message id, or refused), enquire_link
and unbind; it sends a delivery receipt (deliver_sm) for each SMS that asked for one, and can send
a reply from a phone (a mobile-originated deliver_sm, e.g. STOP). Modes: ``accept``; ``refuse``
(every submit_sm answered with a system error); ``down`` (connections dropped and refused).
The PDUs are packed here by hand from the specification, not by the client library under test.
"""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import threading
from dataclasses import dataclass, field

BIND_RECEIVER, BIND_TRANSMITTER, SUBMIT_SM, DELIVER_SM, UNBIND, BIND_TRANSCEIVER, ENQUIRE_LINK = (
    0x01,
    0x02,
    0x04,
    0x05,
    0x06,
    0x09,
    0x15,
)
RESP = 0x80000000
GENERIC_NACK = 0x80000000
ESME_ROK, ESME_RSYSERR, ESME_RINVCMDID, ESME_RTHROTTLED = 0x00, 0x08, 0x03, 0x58
TLV_RECEIPTED_MESSAGE_ID, TLV_MESSAGE_STATE = 0x001E, 0x0427
STATE_CODES = {"DELIVRD": 2, "EXPIRED": 3, "UNDELIV": 5, "REJECTD": 8}


def cstring(data: bytes, offset: int) -> tuple[bytes, int]:
    end = data.index(b"\x00", offset)
    return data[offset:end], end + 1


def pdu(command_id: int, sequence: int, body: bytes = b"", status: int = ESME_ROK) -> bytes:
    return struct.pack(">LLLL", 16 + len(body), command_id, status, sequence) + body


@dataclass
class Submitted:
    """A submit_sm the simulator accepted."""

    message_id: str
    source: str
    destination: str
    esm_class: int
    data_coding: int
    short_message: bytes
    registered_delivery: int

    @property
    def text(self) -> str:
        body = self.short_message[self.short_message[0] + 1 :] if self.esm_class & 0x40 else self.short_message
        return body.decode("utf-16-be") if self.data_coding == 0x08 else body.decode("latin-1")


def parse_submit(body: bytes) -> dict:
    offset = 0
    _service, offset = cstring(body, offset)
    offset += 2
    source, offset = cstring(body, offset)
    offset += 2
    destination, offset = cstring(body, offset)
    esm_class, _pid, _prio = body[offset : offset + 3]
    offset += 3
    _schedule, offset = cstring(body, offset)
    _validity, offset = cstring(body, offset)
    registered, _replace, data_coding, _default, length = body[offset : offset + 5]
    offset += 5
    return {
        "source": source.decode(),
        "destination": destination.decode(),
        "esm_class": esm_class,
        "data_coding": data_coding,
        "short_message": body[offset : offset + length],
        "registered_delivery": registered,
    }


def deliver_sm_body(
    source: str, destination: str, short_message: bytes, *, esm_class: int = 0, data_coding: int = 0, tlvs: bytes = b""
) -> bytes:
    return (
        b"\x00"
        + b"\x01\x01"
        + source.encode()
        + b"\x00"
        + b"\x05\x00"
        + destination.encode()
        + b"\x00"
        + bytes([esm_class, 0, 0])
        + b"\x00"
        + b"\x00"
        + bytes([0, 0, data_coding, 0, len(short_message)])
        + short_message
        + tlvs
    )


def tlv(tag: int, value: bytes) -> bytes:
    return struct.pack(">HH", tag, len(value)) + value


@dataclass
class SmscSimulator:
    host: str = "127.0.0.1"
    port: int = 0
    mode: str = "accept"
    #: receipt state by destination (digits as submitted); DELIVRD for the others
    outcomes: dict[str, str] = field(default_factory=dict)
    accepted: list[Submitted] = field(default_factory=list)
    refused: int = 0
    binds: int = 0
    receipts_acknowledged: int = 0
    #: take this many more submit_sm, then drop the connection without answering the next one
    #: (it was received: the client cannot know whether it went)
    drop_after: int | None = None

    def __post_init__(self) -> None:
        self._ids = itertools.count(1000)
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()
        self._clients: list[tuple[socket.socket, threading.Lock]] = []
        self._listener: socket.socket | None = None
        self._stopped = threading.Event()

    # --- running -------------------------------------------------------------------------
    def start(self) -> SmscSimulator:
        self._listen()
        return self

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept_loop, args=(listener,), daemon=True).start()

    def set_mode(self, mode: str) -> None:
        """``down`` drops every connection and stops listening; ``accept``/``refuse`` listen again."""
        assert mode in ("accept", "refuse", "down")
        self.mode = mode
        if mode == "down":
            self._close_all()
        elif self._listener is None:
            self._listen()

    def stop(self) -> None:
        self._stopped.set()
        self._close_all()

    def _close_all(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):  # wakes the thread in accept() (closing alone does not, on Linux)
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            clients, self._clients = self._clients, []
        for conn, _lock in clients:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            write_lock = threading.Lock()
            with self._lock:
                self._clients.append((conn, write_lock))
            threading.Thread(target=self._serve, args=(conn, write_lock), daemon=True).start()

    # --- one connection ------------------------------------------------------------------
    def _read(self, conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def _serve(self, conn: socket.socket, write_lock: threading.Lock) -> None:
        def send(data: bytes) -> None:
            with write_lock:
                conn.sendall(data)

        try:
            while True:
                length, command, _status, sequence = struct.unpack(">LLLL", self._read(conn, 16))
                body = self._read(conn, length - 16)
                if command in (BIND_TRANSCEIVER, BIND_TRANSMITTER, BIND_RECEIVER):
                    self.binds += 1
                    send(pdu(command | RESP, sequence, b"simulator\x00"))
                elif command == SUBMIT_SM:
                    self._submit(send, sequence, body)
                elif command == ENQUIRE_LINK:
                    send(pdu(ENQUIRE_LINK | RESP, sequence))
                elif command == DELIVER_SM | RESP:
                    self.receipts_acknowledged += 1
                elif command == UNBIND:
                    send(pdu(UNBIND | RESP, sequence))
                    return
                elif not command & RESP:
                    send(pdu(GENERIC_NACK, sequence, status=ESME_RINVCMDID))
        except (ConnectionError, OSError, struct.error):
            return
        finally:
            conn.close()

    def _submit(self, send, sequence: int, body: bytes) -> None:
        if self.mode == "refuse":
            self.refused += 1
            send(pdu(SUBMIT_SM | RESP, sequence, status=ESME_RSYSERR))
            return
        fields = parse_submit(body)
        if self.drop_after is not None:
            if self.drop_after <= 0:
                self.drop_after = None
                self.set_mode("down")
                raise ConnectionError
            self.drop_after -= 1
        message_id = f"{next(self._ids):x}"
        submitted = Submitted(message_id=message_id, **fields)
        with self._lock:
            self.accepted.append(submitted)
        send(pdu(SUBMIT_SM | RESP, sequence, message_id.encode() + b"\x00"))
        if submitted.registered_delivery & 0x01:
            state = self.outcomes.get(submitted.destination, "DELIVRD")
            text = (
                f"id:{message_id} sub:001 dlvrd:{'001' if state == 'DELIVRD' else '000'} submit date:2612061200 "
                f"done date:2612061201 stat:{state} err:000 text:"
            ).encode()
            tlvs = tlv(TLV_RECEIPTED_MESSAGE_ID, message_id.encode() + b"\x00") + tlv(
                TLV_MESSAGE_STATE, bytes([STATE_CODES[state]])
            )
            send(
                pdu(
                    DELIVER_SM,
                    next(self._sequence),
                    deliver_sm_body(submitted.destination, submitted.source, text, esm_class=0x04, tlvs=tlvs),
                )
            )

    # --- a phone answers -----------------------------------------------------------------
    def send_reply(self, source: str, text: str, destination: str = "PANOH") -> None:
        """A household's SMS to us (mobile originated), in UCS-2 when it is not ASCII."""
        data_coding, payload = (0x00, text.encode()) if text.isascii() else (0x08, text.encode("utf-16-be"))
        with self._lock:
            clients = list(self._clients)
        for conn, write_lock in clients:
            with write_lock:
                conn.sendall(
                    pdu(
                        DELIVER_SM,
                        next(self._sequence),
                        deliver_sm_body(source.lstrip("+"), destination, payload, data_coding=data_coding),
                    )
                )

    def sent_to(self, destination: str) -> list[Submitted]:
        return [s for s in self.accepted if s.destination == destination.lstrip("+")]
