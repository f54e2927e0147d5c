"""Team mode: claims (leases stored as data), presence, identities that send as their user, and
change notifications on PostgreSQL.

Revision ID: 0007
Revises: 0006

On PostgreSQL, statement-level triggers announce what changed (``NOTIFY cm_console`` with the
table, the thread ids and the writing console's origin), so other consoles refresh within seconds
without polling. SQLite (one machine) gets the tables only.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHANNEL = "cm_console"

# table -> the column naming the thread (or account) a change concerns
_STATEMENT_TRIGGERS = {
    "triage": "thread_id",
    "thread_tags": "thread_id",
    "outbox": "thread_id",
    "prompts": "thread_id",
    "threads": "id",
    "accounts": "id",
    "containers": "account_id",
}

_NOTIFY_ROWS = f"""
CREATE OR REPLACE FUNCTION cm_console_notify_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM old_rows WHERE %I IS NOT NULL',
                       TG_ARGV[0], TG_ARGV[0]) INTO ids;
    ELSE
        EXECUTE format('SELECT array_agg(DISTINCT %I) FROM new_rows WHERE %I IS NOT NULL',
                       TG_ARGV[0], TG_ARGV[0]) INTO ids;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL;
    END IF;
    IF cardinality(ids) > 200 THEN
        ids := NULL;  -- "many": listeners refresh everything (a payload stays under 8000 bytes)
    END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'o', current_setting('cm_console.origin', true), 't', TG_TABLE_NAME, 'ids', ids)::text);
    RETURN NULL;
END
$$
"""

_NOTIFY_ROW = f"""
CREATE OR REPLACE FUNCTION cm_console_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rec record;
BEGIN
    IF TG_OP = 'DELETE' THEN rec := OLD; ELSE rec := NEW; END IF;
    PERFORM pg_notify('{CHANNEL}', json_build_object(
        'o', current_setting('cm_console.origin', true), 't', TG_TABLE_NAME,
        'ids', CASE WHEN rec.thread_id IS NULL THEN NULL ELSE json_build_array(rec.thread_id) END,
        'u', rec.user_id)::text);
    RETURN NULL;
END
$$
"""


def _postgres_upgrade() -> None:
    op.execute(_NOTIFY_ROWS)
    op.execute(_NOTIFY_ROW)
    for table, column in _STATEMENT_TRIGGERS.items():
        for event, ref in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            rows = "new_rows" if ref == "NEW" else "old_rows"
            op.execute(
                f"CREATE TRIGGER cmc_notify_{table}_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {ref} TABLE AS {rows} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION cm_console_notify_rows('{column}')"
            )
    # Claims and presence change row by row; a lease renewal or a heartbeat is no news.
    op.execute(
        "CREATE TRIGGER cmc_notify_claims_change AFTER UPDATE ON claims FOR EACH ROW "
        "WHEN (OLD.holder IS DISTINCT FROM NEW.holder OR OLD.lease_no <> NEW.lease_no) "
        "EXECUTE FUNCTION cm_console_notify_row()"
    )
    op.execute(
        "CREATE TRIGGER cmc_notify_claims_delete AFTER DELETE ON claims FOR EACH ROW "
        "WHEN (OLD.holder IS NOT NULL) EXECUTE FUNCTION cm_console_notify_row()"
    )
    op.execute(
        "CREATE TRIGGER cmc_notify_presence_change AFTER INSERT OR DELETE ON presence "
        "FOR EACH ROW EXECUTE FUNCTION cm_console_notify_row()"
    )
    op.execute(
        "CREATE TRIGGER cmc_notify_presence_thread AFTER UPDATE ON presence FOR EACH ROW "
        "WHEN (OLD.thread_id IS DISTINCT FROM NEW.thread_id) "
        "EXECUTE FUNCTION cm_console_notify_row()"
    )


def _postgres_downgrade() -> None:
    for table in _STATEMENT_TRIGGERS:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS cmc_notify_{table}_{event} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS cm_console_notify_rows()")
    # the claims and presence triggers go with their tables; then their function
    op.execute("DROP TRIGGER IF EXISTS cmc_notify_claims_change ON claims")
    op.execute("DROP TRIGGER IF EXISTS cmc_notify_claims_delete ON claims")
    op.execute("DROP TRIGGER IF EXISTS cmc_notify_presence_change ON presence")
    op.execute("DROP TRIGGER IF EXISTS cmc_notify_presence_thread ON presence")
    op.execute("DROP FUNCTION IF EXISTS cm_console_notify_row()")


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("lease_no", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("claimed_at", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.Column("released_at", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_claims_thread_id_threads"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["local_users.id"],
                                name=op.f("fk_claims_user_id_local_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("thread_id", name=op.f("pk_claims")),
    )
    op.create_index("ix_claims_holder", "claims", ["holder"], unique=False)
    op.create_table(
        "presence",
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), server_default="", nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("seen_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["local_users.id"],
                                name=op.f("fk_presence_user_id_local_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["thread_id"], ["threads.id"],
                                name=op.f("fk_presence_thread_id_threads"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("holder", name=op.f("pk_presence")),
    )
    # Plain ADD/DROP COLUMN (no batch copy of an existing table on SQLite).
    op.add_column("local_user_identities", sa.Column("username", sa.Text(), nullable=True))
    op.add_column(
        "local_user_identities",
        sa.Column("own_credentials", sa.Boolean(), server_default=sa.text("false"),
                  nullable=False),
    )
    op.create_index("ix_audit_log_thread_id", "audit_log", ["thread_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        _postgres_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgres_downgrade()
    op.drop_index("ix_audit_log_thread_id", table_name="audit_log")
    op.drop_column("local_user_identities", "own_credentials")
    op.drop_column("local_user_identities", "username")
    op.drop_table("presence")
    op.drop_index("ix_claims_holder", table_name="claims")
    op.drop_table("claims")
