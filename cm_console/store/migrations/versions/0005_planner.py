"""Planner and insights: conversation starters sent through the outbox at their scheduled time,
the per-thread turn count (conversation depth), backfilled from stored posts, and an index that
lets the activity heatmap count posts per hour without reading the posts table.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


# Turns: human, visible, not deleted posts whose author differs from the previous one's, in the
# order ``domain.rules.compute_facts`` walks them (time, the root first).
_BACKFILL_TURNS = """
WITH seq AS (
    SELECT thread_id, author_id,
           LAG(author_id) OVER (
               PARTITION BY thread_id ORDER BY created_at, is_root DESC, id
           ) AS previous
    FROM posts
    WHERE deleted_at IS NULL AND kind = 'regular' AND NOT by_bot
), turns AS (
    SELECT thread_id, count(*) AS n FROM seq
    WHERE previous IS NOT NULL AND previous <> author_id
    GROUP BY thread_id
)
UPDATE threads SET turn_count = turns.n FROM turns WHERE threads.id = turns.thread_id
"""


def upgrade() -> None:
    # A plain ADD COLUMN (no batch copy): the threads table keeps its full-text triggers.
    op.add_column('threads', sa.Column('turn_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.execute(_BACKFILL_TURNS)
    op.create_index('ix_posts_activity', 'posts', ['created_at', 'account_id', 'kind', 'by_bot', 'deleted_at'], unique=False)
    op.create_table('starters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=False),
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=10), server_default='post', nullable=False),
    sa.Column('title', sa.Text(), server_default='', nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('poll_options', sa.Text(), server_default='[]', nullable=False),
    sa.Column('scheduled_at', sa.BigInteger(), nullable=False),
    sa.Column('on_duty', sa.Text(), server_default='[]', nullable=False),
    sa.Column('saved_reply_ids', sa.Text(), server_default='[]', nullable=False),
    sa.Column('notes', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_starters_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['container_id'], ['containers.id'], name=op.f('fk_starters_container_id_containers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['local_users.id'], name=op.f('fk_starters_created_by_local_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_starters')),
    sa.UniqueConstraint('op_id', name=op.f('uq_starters_op_id'))
    )
    op.create_index('ix_starters_scheduled', 'starters', ['scheduled_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_posts_activity', table_name='posts')
    op.drop_column('threads', 'turn_count')
    op.drop_index('ix_starters_scheduled', table_name='starters')
    op.drop_table('starters')
