"""WhatsApp Cloud API adapter: Meta-signed webhooks in, Graph API sends out."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from mostrador.channels.base import AccountSettings, ChannelKind, Outgoing, Parsed, Sent
from mostrador.channels.meta.sending import GRAPH_URL, GRAPH_VERSION
from mostrador.channels.signatures import meta_signature_valid
from mostrador.channels.whatsapp.parsing import parse_whatsapp
from mostrador.channels.whatsapp.sending import send_whatsapp

__all__ = ["ADAPTER", "GRAPH_URL", "GRAPH_VERSION", "WhatsAppAdapter"]


class WhatsAppAdapter:
    """WhatsApp behind the ``Adapter`` seam."""

    kind: ChannelKind = "whatsapp"

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool:
        """Meta signs every delivery with the app secret (``X-Hub-Signature-256``)."""
        return meta_signature_valid(body, headers.get("x-hub-signature-256"), secret)

    def parse(self, body: bytes) -> Parsed:
        return parse_whatsapp(body)

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
        return send_whatsapp(client, settings, message)


ADAPTER = WhatsAppAdapter()
