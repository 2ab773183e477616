"""The connection to the operator's SMSC: an SMPP 3.4 transceiver session through ``smpplib``.

``submit`` writes a submit_sm and returns its sequence number without waiting; ``read`` takes
the next PDU from the SMSC and returns what it means for us (an answer to a submit, a delivery
receipt, a household's reply), answering deliver_sm and enquire_link itself. The library's
debug log would print whole PDUs (numbers and texts): its logger is kept at INFO.
"""

from __future__ import annotations

import contextlib
import logging
import select
from dataclasses import dataclass

from smpplib import client as smpp_client
from smpplib import consts, smpp
from smpplib import exceptions as smpp_exceptions

from camps.communication.sms import encoding
from camps.communication.sms.inbound import RECEIPT_BITS, Receipt, parse_receipt

LOGGER = "panoh.sms.smpp"
logging.getLogger(LOGGER).setLevel(logging.INFO)


class LinkDown(Exception):
    """The SMSC cannot be reached, refused the bind, or dropped the connection."""


@dataclass(frozen=True)
class SubmitAnswer:
    sequence: int
    status: int
    message_id: str | None


@dataclass(frozen=True)
class Reply:
    source: str
    text: str


def _text(value) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else str(value or "")


class SmppLink:
    def __init__(
        self, host: str, port: int, system_id: str, password: str, source_addr: str, timeout: float = 10.0
    ) -> None:
        self.host, self.port, self.system_id, self.password = host, port, system_id, password
        self.source_addr, self.timeout = source_addr, timeout
        self.client: smpp_client.Client | None = None

    @property
    def bound(self) -> bool:
        return self.client is not None

    def connect(self) -> None:
        client = smpp_client.Client(
            self.host, self.port, timeout=self.timeout, logger_name=LOGGER, allow_unknown_opt_params=True
        )
        try:
            client.connect()
            client.bind_transceiver(system_id=self.system_id, password=self.password)
        except (smpp_exceptions.ConnectionError, smpp_exceptions.PDUError, OSError) as exc:
            self._drop(client)
            raise LinkDown(type(exc).__name__) from exc
        self.client = client

    def _drop(self, client) -> None:
        with contextlib.suppress(OSError):
            client.disconnect()

    def close(self) -> None:
        """Unbind politely when the link is still up, then close the socket."""
        client, self.client = self.client, None
        if client is None:
            return
        try:
            client.send_pdu(smpp.make_pdu("unbind", client=client))
            self.client = client
            while self.read(timeout=2.0, until="unbind_resp") is not None:
                pass
        except (LinkDown, smpp_exceptions.PDUError, smpp_exceptions.ConnectionError, OSError):
            pass
        self.client = None
        self._drop(client)

    def _source(self) -> dict:
        if self.source_addr.lstrip("+").isdigit():
            return {
                "source_addr_ton": consts.SMPP_TON_INTL,
                "source_addr_npi": consts.SMPP_NPI_ISDN,
                "source_addr": self.source_addr.lstrip("+"),
            }
        return {
            "source_addr_ton": consts.SMPP_TON_ALNUM,
            "source_addr_npi": consts.SMPP_NPI_UNK,
            "source_addr": self.source_addr,
        }

    def submit(self, e164: str, encoded: encoding.Encoded, part: int) -> int:
        """Write part ``part`` (from 0) of an SMS to ``e164``; return the PDU's sequence number."""
        pdu = smpp.make_pdu(
            "submit_sm",
            client=self._client(),
            **self._source(),
            dest_addr_ton=consts.SMPP_TON_INTL,
            dest_addr_npi=consts.SMPP_NPI_ISDN,
            destination_addr=e164.lstrip("+"),
            short_message=encoded.payloads[part],
            data_coding=encoded.data_coding,
            esm_class=encoded.esm_class,
            registered_delivery=1,
        )
        self._send(pdu)
        return pdu.sequence

    def enquire_link(self) -> None:
        self._send(smpp.make_pdu("enquire_link", client=self._client()))

    def _client(self) -> smpp_client.Client:
        if self.client is None:
            raise LinkDown("not bound")
        return self.client

    def _send(self, pdu) -> None:
        try:
            self._client().send_pdu(pdu)
        except (smpp_exceptions.ConnectionError, smpp_exceptions.PDUError, OSError) as exc:
            self._lost()
            raise LinkDown(type(exc).__name__) from exc

    def _lost(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            self._drop(client)

    def read(self, timeout: float, until: str | None = None) -> SubmitAnswer | Receipt | Reply | None:
        """The next thing the SMSC says within ``timeout`` seconds that concerns us, else None."""
        client = self._client()
        readable, _w, _x = select.select([client._socket], [], [], timeout)
        if not readable:
            return None
        try:
            pdu = client.read_pdu()
        except (TimeoutError, smpp_exceptions.ConnectionError, smpp_exceptions.PDUError, OSError) as exc:
            self._lost()
            raise LinkDown(type(exc).__name__) from exc
        command = pdu.command
        if command == until:
            return None
        if command == "submit_sm_resp":
            return SubmitAnswer(pdu.sequence, pdu.status, _text(pdu.message_id) or None)
        if command == "deliver_sm":
            answer = self._deliver(pdu)
            response = smpp.make_pdu("deliver_sm_resp", client=client)
            response.sequence = pdu.sequence
            self._send(response)
            return answer
        if command == "enquire_link":
            response = smpp.make_pdu("enquire_link_resp", client=client)
            response.sequence = pdu.sequence
            self._send(response)
        elif command == "unbind":
            response = smpp.make_pdu("unbind_resp", client=client)
            response.sequence = pdu.sequence
            self._send(response)
            self._lost()
            raise LinkDown("unbound by the SMSC")
        return self.read(0, until)

    def _deliver(self, pdu) -> Receipt | Reply | None:
        data = pdu.short_message or b""
        if (pdu.esm_class or 0) & RECEIPT_BITS:
            return parse_receipt(_text(data), _text(pdu.receipted_message_id) or None, pdu.message_state)
        if (pdu.esm_class or 0) & encoding.UDHI and data:
            data = data[data[0] + 1 :]
        return Reply(_text(pdu.source_addr), encoding.decode(data, pdu.data_coding or 0))
