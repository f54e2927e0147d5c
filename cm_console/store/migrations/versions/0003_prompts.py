"""Prompting colleagues: prompts with their follow-up deadline, linked identities.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prompts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.Column("step", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("op_id", sa.String(length=36), nullable=True),
        sa.Column("prompted_at", sa.BigInteger(), nullable=False),
        sa.Column("deadline_at", sa.BigInteger(), nullable=False),
        sa.Column("answered_at", sa.BigInteger(), nullable=True),
        sa.Column("closed", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_prompts_thread_id_threads"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"],
                                name=op.f("fk_prompts_person_id_people"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by"], ["local_users.id"],
                                name=op.f("fk_prompts_created_by_local_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompts")),
    )
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.create_index("ix_prompts_thread", ["thread_id"], unique=False)
        batch_op.create_index("ix_prompts_person_prompted", ["person_id", "prompted_at"],
                              unique=False)
    # Plain ADD/DROP COLUMN (no batch copy on SQLite): copying the threads table would drop the
    # full-text triggers that live on it.
    op.add_column("people", sa.Column("identity", sa.Text(), nullable=True))
    op.create_index("ix_people_identity", "people", ["identity"], unique=False)
    op.add_column("threads", sa.Column("prompt_due_at", sa.BigInteger(), nullable=True))
    # People with an e-mail address are the same person on every account that knows it.
    op.execute("UPDATE people SET identity = lower(email) WHERE email IS NOT NULL")


def downgrade() -> None:
    op.drop_column("threads", "prompt_due_at")
    op.drop_index("ix_people_identity", table_name="people")
    op.drop_column("people", "identity")
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_index("ix_prompts_person_prompted")
        batch_op.drop_index("ix_prompts_thread")
    op.drop_table("prompts")
