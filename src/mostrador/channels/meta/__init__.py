"""Instagram and Messenger adapters: both speak Meta's Messenger Platform, so one parser and
one sender serve them, fixed to their own webhook ``object`` and send path."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from mostrador.channels.base import AccountSettings, ChannelKind, Outgoing, Parsed, Sent
from mostrador.channels.meta.parsing import Platform, parse_messaging
from mostrador.channels.meta.sending import GRAPH_URL, GRAPH_VERSION, send_messaging
from mostrador.channels.signatures import meta_signature_valid

__all__ = ["GRAPH_URL", "GRAPH_VERSION", "INSTAGRAM", "MESSENGER", "MessagingAdapter"]


class MessagingAdapter:
    """One Messenger Platform product behind the ``Adapter`` seam."""

    kind: ChannelKind

    def __init__(self, platform: Platform) -> None:
        self.kind = platform
        self._platform: Platform = platform

    def verify(self, body: bytes, headers: Mapping[str, str], secret: str) -> bool:
        """Meta signs every delivery with the app secret (``X-Hub-Signature-256``)."""
        return meta_signature_valid(body, headers.get("x-hub-signature-256"), secret)

    def parse(self, body: bytes) -> Parsed:
        return parse_messaging(body, self._platform)

    def send(self, client: httpx.Client, settings: AccountSettings, message: Outgoing) -> Sent:
        return send_messaging(client, settings, message, self._platform)


INSTAGRAM = MessagingAdapter("instagram")
MESSENGER = MessagingAdapter("messenger")
