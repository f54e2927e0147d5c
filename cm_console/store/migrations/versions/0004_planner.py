"""Planner: conversation starters sent through the outbox at their scheduled time.

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-29 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
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
    op.drop_index('ix_starters_scheduled', table_name='starters')
    op.drop_table('starters')
