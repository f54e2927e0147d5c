"""Initial schema, with full-text search (FTS5 on SQLite, GIN expression indexes on PostgreSQL).

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 17:39:44.198600
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE posts_fts USING fts5(text, content='posts', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN "
    "INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN "
    "INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER posts_fts_au AFTER UPDATE OF text ON posts BEGIN "
    "INSERT INTO posts_fts(posts_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO posts_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE VIRTUAL TABLE threads_fts USING fts5(title, content='threads', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER threads_fts_ai AFTER INSERT ON threads BEGIN "
    "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END",
    "CREATE TRIGGER threads_fts_ad AFTER DELETE ON threads BEGIN "
    "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.id, old.title); END",
    "CREATE TRIGGER threads_fts_au AFTER UPDATE OF title ON threads BEGIN "
    "INSERT INTO threads_fts(threads_fts, rowid, title) VALUES ('delete', old.id, old.title); "
    "INSERT INTO threads_fts(rowid, title) VALUES (new.id, new.title); END",
]
_SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS posts_fts_ai", "DROP TRIGGER IF EXISTS posts_fts_ad",
    "DROP TRIGGER IF EXISTS posts_fts_au", "DROP TABLE IF EXISTS posts_fts",
    "DROP TRIGGER IF EXISTS threads_fts_ai", "DROP TRIGGER IF EXISTS threads_fts_ad",
    "DROP TRIGGER IF EXISTS threads_fts_au", "DROP TABLE IF EXISTS threads_fts",
]
_PG_FTS = [
    "CREATE INDEX ix_posts_search ON posts USING gin (to_tsvector('simple', text))",
    "CREATE INDEX ix_threads_search ON threads USING gin (to_tsvector('simple', title))",
]
_PG_FTS_DROP = ["DROP INDEX IF EXISTS ix_posts_search", "DROP INDEX IF EXISTS ix_threads_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('platform', sa.String(length=50), nullable=False),
    sa.Column('platform_kind', sa.String(length=10), server_default='forum', nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('username', sa.Text(), nullable=True),
    sa.Column('options', sa.Text(), server_default='{}', nullable=False),
    sa.Column('own_person_remote_id', sa.Text(), nullable=True),
    sa.Column('enabled', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('name', name=op.f('uq_accounts_name'))
    )
    op.create_table('local_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_users')),
    sa.UniqueConstraint('name', name=op.f('uq_local_users_name'))
    )
    op.create_table('saved_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=10), server_default='en', nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_replies')),
    sa.UniqueConstraint('name', 'language', name=op.f('uq_saved_replies_name_language'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('sim_meta',
    sa.Column('account_key', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('account_key', 'key', name=op.f('pk_sim_meta'))
    )
    op.create_table('sim_writes',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('account_key', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('thread_remote_id', sa.Text(), nullable=True),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('author_remote_id', sa.Text(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('marker', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sim_writes'))
    )
    with op.batch_alter_table('sim_writes', schema=None) as batch_op:
        batch_op.create_index('ix_sim_writes_account_seq', ['account_key', 'seq'], unique=False)

    op.create_table('containers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=50), server_default='channel', nullable=False),
    sa.Column('parent_name', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('options', sa.Text(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_containers_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_containers')),
    sa.UniqueConstraint('account_id', 'remote_id', name=op.f('uq_containers_account_id_remote_id'))
    )
    op.create_table('cursors',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_cursors_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', 'scope', name=op.f('pk_cursors'))
    )
    op.create_table('local_user_identities',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('person_remote_id', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_local_user_identities_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['local_users.id'], name=op.f('fk_local_user_identities_user_id_local_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'account_id', name=op.f('pk_local_user_identities'))
    )
    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('handle', sa.Text(), nullable=False),
    sa.Column('display_name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('department', sa.Text(), nullable=True),
    sa.Column('is_bot', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('is_team', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('first_post_at', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_people_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('account_id', 'remote_id', name=op.f('uq_people_account_id_remote_id'))
    )
    op.create_table('raw_payloads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('fetched_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_raw_payloads_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_raw_payloads')),
    sa.UniqueConstraint('account_id', 'kind', 'remote_id', name=op.f('uq_raw_payloads_account_id_kind_remote_id'))
    )
    op.create_table('sync_state',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('lease_holder', sa.Text(), nullable=True),
    sa.Column('lease_expires_at', sa.BigInteger(), nullable=True),
    sa.Column('last_attempt_at', sa.BigInteger(), nullable=True),
    sa.Column('last_success_at', sa.BigInteger(), nullable=True),
    sa.Column('last_error_code', sa.String(length=50), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_sync_state_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_sync_state'))
    )
    op.create_table('threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('container_id', sa.Integer(), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), server_default='', nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('root_author_id', sa.Integer(), nullable=True),
    sa.Column('resolved', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('closed', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('accepted_post_remote_id', sa.Text(), nullable=True),
    sa.Column('remote_tags', sa.Text(), server_default='[]', nullable=False),
    sa.Column('is_settled', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('root_by_team', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('root_deleted', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('root_asks_question', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('acknowledged', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('by_newcomer', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('first_reply_at', sa.BigInteger(), nullable=True),
    sa.Column('first_team_reply_at', sa.BigInteger(), nullable=True),
    sa.Column('reply_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('qualifying_reply_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('participant_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_activity_at', sa.BigInteger(), nullable=False),
    sa.Column('last_post_author_id', sa.Integer(), nullable=True),
    sa.Column('open_end', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('last_team_post_at', sa.BigInteger(), nullable=True),
    sa.Column('last_nonteam_post_at', sa.BigInteger(), nullable=True),
    sa.Column('unanswered_at', sa.BigInteger(), nullable=False),
    sa.Column('stalled_at', sa.BigInteger(), nullable=False),
    sa.Column('abandoned_at', sa.BigInteger(), nullable=False),
    sa.Column('sla_due_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_threads_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['container_id'], ['containers.id'], name=op.f('fk_threads_container_id_containers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['last_post_author_id'], ['people.id'], name=op.f('fk_threads_last_post_author_id_people')),
    sa.ForeignKeyConstraint(['root_author_id'], ['people.id'], name=op.f('fk_threads_root_author_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_threads')),
    sa.UniqueConstraint('account_id', 'remote_id', name=op.f('uq_threads_account_id_remote_id'))
    )
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_account_activity', ['account_id', 'last_activity_at'], unique=False)
        batch_op.create_index('ix_threads_active', ['abandoned_at'], unique=False, sqlite_where=sa.text('is_settled = 0'), postgresql_where=sa.text('NOT is_settled'))
        batch_op.create_index('ix_threads_container_activity', ['container_id', 'last_activity_at'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.BigInteger(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('detail', sa.Text(), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_audit_log_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_audit_log_thread_id_threads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['local_users.id'], name=op.f('fk_audit_log_user_id_local_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)

    op.create_table('drafts',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('base_reply_count', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_drafts_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['local_users.id'], name=op.f('fk_drafts_user_id_local_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'user_id', name=op.f('pk_drafts'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('op_id', sa.String(length=36), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.Column('first_attempt_at', sa.BigInteger(), nullable=True),
    sa.Column('last_attempt_at', sa.BigInteger(), nullable=True),
    sa.Column('next_attempt_at', sa.BigInteger(), nullable=True),
    sa.Column('last_error_code', sa.String(length=50), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('remote_id', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.BigInteger(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('base_reply_count', sa.Integer(), nullable=True),
    sa.Column('claimed_by', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_outbox_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['local_users.id'], name=op.f('fk_outbox_created_by_local_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_outbox_thread_id_threads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('op_id', name=op.f('uq_outbox_op_id'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_state_next', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_outbox_thread', ['thread_id'], unique=False)

    op.create_table('posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('remote_id', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.Column('edited_at', sa.BigInteger(), nullable=True),
    sa.Column('deleted_at', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=20), server_default='regular', nullable=False),
    sa.Column('is_root', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('by_bot', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('asks_question', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('acked_by_other', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('reply_to_remote_id', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('reactions', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_posts_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_posts_author_id_people')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_posts_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
    sa.UniqueConstraint('account_id', 'remote_id', name=op.f('uq_posts_account_id_remote_id'))
    )
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.create_index('ix_posts_author_created', ['author_id', 'created_at'], unique=False)
        batch_op.create_index('ix_posts_thread_created', ['thread_id', 'created_at'], unique=False)

    op.create_table('thread_tags',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_tags_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('thread_id', 'tag', name=op.f('pk_thread_tags'))
    )
    with op.batch_alter_table('thread_tags', schema=None) as batch_op:
        batch_op.create_index('ix_thread_tags_tag', ['tag'], unique=False)

    op.create_table('triage',
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='open', nullable=False),
    sa.Column('status_at', sa.BigInteger(), nullable=True),
    sa.Column('snooze_until', sa.BigInteger(), nullable=True),
    sa.Column('snooze_until_reply', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('flagged', sa.Boolean(), server_default=sa.text('(false)'), nullable=False),
    sa.Column('flag_note', sa.Text(), nullable=True),
    sa.Column('flagged_at', sa.BigInteger(), nullable=True),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('updated_at', sa.BigInteger(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['local_users.id'], name=op.f('fk_triage_assignee_id_local_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_triage_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by'], ['local_users.id'], name=op.f('fk_triage_updated_by_local_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('thread_id', name=op.f('pk_triage'))
    )
    with op.batch_alter_table('triage', schema=None) as batch_op:
        batch_op.create_index('ix_triage_assignee', ['assignee_id'], unique=False)
        batch_op.create_index('ix_triage_status', ['status'], unique=False)


    _run(_SQLITE_FTS if op.get_bind().dialect.name == 'sqlite' else _PG_FTS)


def downgrade() -> None:
    _run(_SQLITE_FTS_DROP if op.get_bind().dialect.name == 'sqlite' else _PG_FTS_DROP)
    with op.batch_alter_table('triage', schema=None) as batch_op:
        batch_op.drop_index('ix_triage_status')
        batch_op.drop_index('ix_triage_assignee')

    op.drop_table('triage')
    with op.batch_alter_table('thread_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_tags_tag')

    op.drop_table('thread_tags')
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_index('ix_posts_thread_created')
        batch_op.drop_index('ix_posts_author_created')

    op.drop_table('posts')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_thread')
        batch_op.drop_index('ix_outbox_state_next')

    op.drop_table('outbox')
    op.drop_table('drafts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_container_activity')
        batch_op.drop_index('ix_threads_active', sqlite_where=sa.text('is_settled = 0'), postgresql_where=sa.text('NOT is_settled'))
        batch_op.drop_index('ix_threads_account_activity')

    op.drop_table('threads')
    op.drop_table('sync_state')
    op.drop_table('raw_payloads')
    op.drop_table('people')
    op.drop_table('local_user_identities')
    op.drop_table('cursors')
    op.drop_table('containers')
    with op.batch_alter_table('sim_writes', schema=None) as batch_op:
        batch_op.drop_index('ix_sim_writes_account_seq')

    op.drop_table('sim_writes')
    op.drop_table('sim_meta')
    op.drop_table('settings')
    op.drop_table('saved_replies')
    op.drop_table('local_users')
    op.drop_table('accounts')
