"""Indexes for the queue at scale: threads by creation time (the all-threads view).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The all-threads view lists the threads outside the queue by creation time, and stops
    # after a page: an index to walk in that order.
    op.create_index("ix_threads_created", "threads", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_threads_created", table_name="threads")
