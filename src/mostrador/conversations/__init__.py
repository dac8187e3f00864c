"""Conversations: one thread per customer across every channel, worked by a team.

Entry points ingest provider deliveries with ``ingest`` (before answering them), thread
them with ``thread_pending`` and send the outbound queue with ``send_due``; everything
else goes through ``actions`` (writers) and ``queries`` (reads).
"""

from mostrador.conversations import actions, queries, rule_desk
from mostrador.conversations.accounts import (
    REQUIRED,
    AccountInput,
    accounts_of_kind,
    settings_of,
    workspace_accounts,
)
from mostrador.conversations.bot_desk import BotView, bot_reply, bot_view, hand_to_person
from mostrador.conversations.events import MessageReceived
from mostrador.conversations.ingestion import Stored, ingest
from mostrador.conversations.models import (
    CallbackTask,
    ChannelAccount,
    Conversation,
    ConversationNote,
    Message,
)
from mostrador.conversations.queries import InboxFilter
from mostrador.conversations.replies import SENDABLE, ReplyInput
from mostrador.conversations.sending import RateLimits, send_due
from mostrador.conversations.sla_clocks import sweep as sweep_sla
from mostrador.conversations.threads import thread_all, thread_pending

__all__ = [
    "REQUIRED",
    "SENDABLE",
    "AccountInput",
    "BotView",
    "CallbackTask",
    "ChannelAccount",
    "Conversation",
    "ConversationNote",
    "InboxFilter",
    "Message",
    "MessageReceived",
    "RateLimits",
    "ReplyInput",
    "Stored",
    "accounts_of_kind",
    "actions",
    "bot_reply",
    "bot_view",
    "hand_to_person",
    "ingest",
    "queries",
    "rule_desk",
    "send_due",
    "settings_of",
    "sweep_sla",
    "thread_all",
    "thread_pending",
    "workspace_accounts",
]
