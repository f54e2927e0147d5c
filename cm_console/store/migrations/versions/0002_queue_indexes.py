"""Indexes for the queue and search at scale.

- threads by creation time: the all-threads view pages the threads outside the queue in that
  order;
- posts (id, thread_id): full-text search maps matching posts to their threads through this
  narrow index instead of reading the wide posts rows.

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
    op.create_index("ix_threads_created", "threads", ["created_at"])
    op.create_index("ix_posts_id_thread", "posts", ["id", "thread_id"])


def downgrade() -> None:
    op.drop_index("ix_posts_id_thread", table_name="posts")
    op.drop_index("ix_threads_created", table_name="threads")
