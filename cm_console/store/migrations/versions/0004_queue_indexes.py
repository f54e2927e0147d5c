"""Indexes for the queue and search at scale.

- the active-thread index carries every column the state, status-free priority and waiting time
  read, so counting the queue by state, and ordering a view by priority, read the index alone;
- threads without a qualifying reply have such an index of their own: the unanswered view, and
  the queue's first page (its highest priorities are unanswered threads), start from it;
- threads by creation time: the all-threads view pages the threads outside the queue in that
  order;
- posts (id, thread_id): full-text search maps matching posts to their threads through this
  narrow index instead of reading the wide posts rows.

- threads with a prompt whose follow-up deadline can pass: the queue counts those back in it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 18:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


_ACTIVE = {"sqlite_where": sa.text("is_settled = 0"), "postgresql_where": sa.text("NOT is_settled")}
_PROMPTED = {
    "sqlite_where": sa.text("prompt_due_at IS NOT NULL"),
    "postgresql_where": sa.text("prompt_due_at IS NOT NULL"),
}
_QUEUE_COLUMNS = [
    "abandoned_at",
    "is_settled",
    # what the state reads
    "first_reply_at",
    "root_by_team",
    "unanswered_at",
    "last_team_post_at",
    "last_nonteam_post_at",
    "last_nonteam_arrival_at",
    "open_end",
    "stalled_at",
    # what the priority and the waiting time read
    "sla_due_at",
    "root_asks_question",
    "by_newcomer",
    "created_at",
    "last_activity_at",
    "prompt_due_at",
    # what the sidebar's per-community counts group by
    "container_id",
]


def upgrade() -> None:
    op.drop_index("ix_threads_active", table_name="threads", **_ACTIVE)
    op.create_index("ix_threads_active", "threads", _QUEUE_COLUMNS, **_ACTIVE)
    op.create_index(
        "ix_threads_unreplied",
        "threads",
        _QUEUE_COLUMNS,
        sqlite_where=sa.text("is_settled = 0 AND first_reply_at IS NULL"),
        postgresql_where=sa.text("NOT is_settled AND first_reply_at IS NULL"),
    )
    op.create_index("ix_threads_created", "threads", ["created_at"])
    op.create_index("ix_posts_id_thread", "posts", ["id", "thread_id"])
    op.create_index("ix_threads_prompt_due_at", "threads", ["prompt_due_at"], **_PROMPTED)


def downgrade() -> None:
    op.drop_index("ix_threads_prompt_due_at", table_name="threads", **_PROMPTED)
    op.drop_index("ix_posts_id_thread", table_name="posts")
    op.drop_index("ix_threads_created", table_name="threads")
    op.drop_index("ix_threads_unreplied", table_name="threads")
    op.drop_index("ix_threads_active", table_name="threads", **_ACTIVE)
    op.create_index("ix_threads_active", "threads", ["abandoned_at"], **_ACTIVE)
