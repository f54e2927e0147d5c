"""Shared steps of starting a thread on chat platforms (Slack, Mattermost, Teams).

A read-back (:meth:`~cm_console.connectors.base.Connector.find_sent`) receives the operation as
it was stored, while the write method received it from :meth:`Connector.send`, with the poll
formatted and the mentions rendered; :func:`as_sent` repeats those steps so both compare the
same text.
"""

from __future__ import annotations

import dataclasses

from cm_console.connectors.base import Connector, Outgoing
from cm_console.domain.outbox import OpKind


def as_sent(connector: Connector, op: Outgoing) -> Outgoing:
    """``op`` as :meth:`Connector.send` hands it to the write method."""
    if op.kind is OpKind.POST and op.poll_options:
        op = dataclasses.replace(op, text=connector.format_poll(op.text, op.poll_options))
    if op.mentions and op.kind in (OpKind.REPLY, OpKind.POST, OpKind.DM):
        op = dataclasses.replace(op, text=connector.render_mentions(op.text, op.mentions))
    return op


def titled(op: Outgoing) -> str:
    """The text of a new thread on a platform without titles: the title (if any) as the first
    line, a blank line, then the text."""
    title = (op.title or "").strip()
    return f"{title}\n\n{op.text}" if title else op.text
