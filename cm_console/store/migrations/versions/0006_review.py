"""Review of flagged threads: complete copies, edit history, attachments, annotations, decisions.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import json
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))
    op.create_table(
        "post_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("edited_at", sa.BigInteger(), nullable=True),
        sa.Column("replaced_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"],
                                name=op.f("fk_post_versions_post_id_posts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_versions")),
    )
    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.create_index("ix_post_versions_post", ["post_id"], unique=False)
    op.create_table(
        "review_threads",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("copy_state", sa.String(length=10), server_default="pending", nullable=False),
        sa.Column("copy_requested_at", sa.BigInteger(), nullable=True),
        sa.Column("copied_at", sa.BigInteger(), nullable=True),
        sa.Column("copy_error", sa.Text(), nullable=True),
        sa.Column("upstream_deleted_at", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_review_threads_thread_id_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("thread_id", name=op.f("pk_review_threads")),
    )
    with op.batch_alter_table("review_threads", schema=None) as batch_op:
        batch_op.create_index("ix_review_threads_copy_state", ["copy_state"], unique=False)
    op.create_table(
        "review_annotations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("post_remote_id", sa.Text(), nullable=True),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_review_annotations_thread_id_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_annotations")),
        sa.UniqueConstraint("uid", name=op.f("uq_review_annotations_uid")),
    )
    with op.batch_alter_table("review_annotations", schema=None) as batch_op:
        batch_op.create_index("ix_review_annotations_thread", ["thread_id"], unique=False)
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_review_decisions_thread_id_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_decisions")),
        sa.UniqueConstraint("uid", name=op.f("uq_review_decisions_uid")),
    )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_review_decisions_thread_decided", ["thread_id", "decided_at"],
                              unique=False)
    # The workspace's id: review packets name the console (or shared database) a thread comes
    # from, so a packet that comes back merges into the threads it left from.
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    bind = op.get_bind()
    if bind.execute(sa.select(settings.c.key).where(settings.c.key == "workspace_id")).first() is None:
        op.bulk_insert(settings, [{"key": "workspace_id", "value": json.dumps(str(uuid.uuid4()))}])


def downgrade() -> None:
    # The workspace id stays: it is a plain setting, and a database that comes back up keeps the
    # id its packets carry.
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_review_decisions_thread_decided")
    op.drop_table("review_decisions")
    with op.batch_alter_table("review_annotations", schema=None) as batch_op:
        batch_op.drop_index("ix_review_annotations_thread")
    op.drop_table("review_annotations")
    with op.batch_alter_table("review_threads", schema=None) as batch_op:
        batch_op.drop_index("ix_review_threads_copy_state")
    op.drop_table("review_threads")
    with op.batch_alter_table("post_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_post_versions_post")
    op.drop_table("post_versions")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("attachments")
