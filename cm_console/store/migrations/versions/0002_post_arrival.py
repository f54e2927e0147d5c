"""When each post reached the console, so a reply that arrives late re-opens a done thread.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (no batch copy on SQLite): copying the posts table would drop the
    # full-text triggers that live on it.
    op.add_column('posts', sa.Column('arrived_at', sa.BigInteger(), nullable=True))
    op.add_column('threads', sa.Column('last_nonteam_arrival_at', sa.BigInteger(), nullable=True))
    # Posts stored before this revision count as arrived when they were written, so the latest
    # arrival of a non-team post is the latest non-team post.
    op.execute('UPDATE threads SET last_nonteam_arrival_at = last_nonteam_post_at')


def downgrade() -> None:
    op.drop_column('threads', 'last_nonteam_arrival_at')
    op.drop_column('posts', 'arrived_at')
