"""Insights' running totals, kept at ingest: posts per account and UTC hour, qualifying replies
per account, UTC week and author, and each post's recorded share of them; backfilled from the
stored posts.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_HOUR = 3_600_000
_WEEK = 7 * 24 * _HOUR
_MONDAY = 3 * 24 * _HOUR  # 1970-01-01 was a Thursday

# The definitions of store/rollups.py (and the metrics'): activity is a post that is not deleted,
# not by a bot and of the regular kind; a qualifying reply is such a post that is not the root, is
# not by the thread's root author and was written after the thread started. ``%`` truncates on
# both engines; the double modulo floors it, as Python's does, for instants before 1970 too.
_BACKFILL_TALLIES = """
INSERT INTO tallied_posts (post_id, author_id, created_at, tally)
SELECT p.id, p.author_id, p.created_at,
       CASE WHEN NOT p.is_root
                 AND (t.root_author_id IS NULL OR p.author_id <> t.root_author_id)
                 AND p.created_at > t.created_at
            THEN 3 ELSE 1 END
FROM posts p JOIN threads t ON t.id = p.thread_id
WHERE p.deleted_at IS NULL AND NOT p.by_bot AND p.kind = 'regular'
"""

_BACKFILL_HOURS = f"""
INSERT INTO activity_hours (account_id, hour, posts)
SELECT p.account_id, tp.created_at - ((tp.created_at % {_HOUR}) + {_HOUR}) % {_HOUR} AS hour,
       count(*)
FROM tallied_posts tp JOIN posts p ON p.id = tp.post_id
GROUP BY p.account_id, tp.created_at - ((tp.created_at % {_HOUR}) + {_HOUR}) % {_HOUR}
"""

_WEEK_OF = (
    f"tp.created_at - (((tp.created_at + {_MONDAY}) % {_WEEK}) + {_WEEK}) % {_WEEK}"
)
_BACKFILL_WEEKS = f"""
INSERT INTO reply_weeks (account_id, author_id, week, replies)
SELECT p.account_id, tp.author_id, {_WEEK_OF} AS week, count(*)
FROM tallied_posts tp JOIN posts p ON p.id = tp.post_id
WHERE tp.tally = 3
GROUP BY p.account_id, tp.author_id, {_WEEK_OF}
"""


def upgrade() -> None:
    op.create_table(
        "tallied_posts",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("tally", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_tallied_posts_post_id_posts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("post_id", name=op.f("pk_tallied_posts")),
    )
    op.create_table(
        "activity_hours",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("hour", sa.BigInteger(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_activity_hours_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "hour", name=op.f("pk_activity_hours")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "reply_weeks",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.BigInteger(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_reply_weeks_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", "author_id", "week", name=op.f("pk_reply_weeks")),
        sqlite_with_rowid=False,
    )
    op.execute(_BACKFILL_TALLIES)
    op.execute(_BACKFILL_HOURS)
    op.execute(_BACKFILL_WEEKS)


def downgrade() -> None:
    op.drop_table("reply_weeks")
    op.drop_table("activity_hours")
    op.drop_table("tallied_posts")
