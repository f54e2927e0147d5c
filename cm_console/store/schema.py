"""The database schema (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Instants are stored as integer milliseconds since the epoch (UTC): comparisons and arithmetic in
the state query are plain integer operations on both engines, and indexes stay compact.
Full-text search objects are engine-specific and created by the migrations (FTS5 tables and
triggers on SQLite, GIN expression indexes on PostgreSQL; see ``migrations/versions/0001``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

Millis = BigInteger
"""An instant: milliseconds since 1970-01-01T00:00:00Z."""


def _ms(name: str, *, nullable: bool = True) -> Column[int]:
    return Column(name, Millis, nullable=nullable)


def _flag(name: str) -> Column[bool]:
    return Column(name, Boolean, nullable=False, server_default=text("false"))


def _count(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False, server_default=text("0"))


settings = Table(
    "settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

local_users = Table(
    "local_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    _ms("created_at", nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("platform", String(50), nullable=False),
    Column("platform_kind", String(10), nullable=False, server_default="forum"),
    Column("url", Text),
    Column("username", Text),
    Column("options", Text, nullable=False, server_default="{}"),
    Column("own_person_remote_id", Text),
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
    _ms("created_at", nullable=False),
)

local_user_identities = Table(
    "local_user_identities",
    metadata,
    Column("user_id", ForeignKey("local_users.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("person_remote_id", Text, nullable=False),
    # team mode (0007): the user's own sign-in name on the platform, and whether their own
    # secret is in their keyring (then their replies go out as them, from their console only)
    Column("username", Text),
    _flag("own_credentials"),
)

containers = Table(
    "containers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("url", Text),
    Column("kind", String(50), nullable=False, server_default="channel"),
    Column("parent_name", Text),
    Column("description", Text),
    Column("options", Text, nullable=False, server_default="{}"),
    UniqueConstraint("account_id", "remote_id"),
)

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("handle", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("email", Text),
    Column("title", Text),
    Column("department", Text),
    _flag("is_bot"),
    _flag("is_team"),
    _ms("first_post_at"),
    Column("identity", Text),
    UniqueConstraint("account_id", "remote_id"),
    Index("ix_people_identity", "identity"),
)

_QUEUE_COLUMNS = (
    "abandoned_at",
    "is_settled",
    "first_reply_at",
    "root_by_team",
    "unanswered_at",
    "last_team_post_at",
    "last_nonteam_post_at",
    "last_nonteam_arrival_at",
    "open_end",
    "stalled_at",
    "sla_due_at",
    "root_asks_question",
    "by_newcomer",
    "created_at",
    "last_activity_at",
    "prompt_due_at",
    # what the sidebar's per-community counts group by
    "container_id",
)

threads = Table(
    "threads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("container_id", ForeignKey("containers.id", ondelete="CASCADE"), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("title", Text, nullable=False, server_default=""),
    Column("url", Text),
    _ms("created_at", nullable=False),
    Column("root_author_id", ForeignKey("people.id")),
    _flag("resolved"),
    _flag("closed"),
    Column("accepted_post_remote_id", Text),
    Column("remote_tags", Text, nullable=False, server_default="[]"),
    # facts (DESIGN.md §2), maintained at ingest
    _flag("is_settled"),
    _flag("root_by_team"),
    _flag("root_deleted"),
    _flag("root_asks_question"),
    _flag("acknowledged"),
    _flag("by_newcomer"),
    _ms("first_reply_at"),
    _ms("first_team_reply_at"),
    _count("reply_count"),
    _count("qualifying_reply_count"),
    _count("participant_count"),
    _count("turn_count"),  # back-and-forth turns (insights' conversation depth); migration 0005
    _ms("last_activity_at", nullable=False),
    Column("last_post_author_id", ForeignKey("people.id")),
    _flag("open_end"),
    _ms("last_team_post_at"),
    _ms("last_nonteam_post_at"),
    _ms("last_nonteam_arrival_at"),
    # deadlines: facts plus thresholds, recomputed when a threshold changes
    _ms("unanswered_at", nullable=False),
    _ms("stalled_at", nullable=False),
    _ms("abandoned_at", nullable=False),
    _ms("sla_due_at", nullable=False),
    _ms("prompt_due_at"),
    _ms("updated_at", nullable=False),
    UniqueConstraint("account_id", "remote_id"),
    # Active threads, with every column the state, the priority and the waiting time read: the
    # queue's counts and its pages by priority never read a thread row (queue.py).
    Index(
        "ix_threads_active",
        *_QUEUE_COLUMNS,
        sqlite_where=text("is_settled = 0"),
    ),
    Index(
        "ix_threads_unreplied",
        *_QUEUE_COLUMNS,
        sqlite_where=text("is_settled = 0 AND first_reply_at IS NULL"),
    ),
    Index("ix_threads_container_activity", "container_id", "last_activity_at"),
    Index("ix_threads_account_activity", "account_id", "last_activity_at"),
    Index("ix_threads_created", "created_at"),
    Index(
        "ix_threads_prompt_due_at",
        "prompt_due_at",
        sqlite_where=text("prompt_due_at IS NOT NULL"),
    ),
)

# The same partial indexes on PostgreSQL. Their conditions are given when a PostgreSQL database
# is opened (use_postgresql_indexes): naming a dialect's option loads that dialect, and the
# embedded database should not import PostgreSQL's.
_POSTGRESQL_WHERE = {
    "ix_threads_active": "NOT is_settled",
    "ix_threads_unreplied": "NOT is_settled AND first_reply_at IS NULL",
    "ix_threads_prompt_due_at": "prompt_due_at IS NOT NULL",
}


def use_postgresql_indexes() -> None:
    """Give the partial indexes their PostgreSQL conditions (idempotent)."""
    for index in threads.indexes:
        where = _POSTGRESQL_WHERE.get(str(index.name))
        if where is not None and "postgresql_where" not in index.dialect_kwargs:
            index.dialect_kwargs["postgresql_where"] = text(where)


posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("author_id", ForeignKey("people.id"), nullable=False),
    _ms("created_at", nullable=False),
    _ms("edited_at"),
    _ms("deleted_at"),
    _ms("arrived_at"),  # when this console first stored it; NULL: as created (before 0002)
    Column("kind", String(20), nullable=False, server_default="regular"),
    _flag("is_root"),
    _flag("by_bot"),
    _flag("asks_question"),
    _flag("acked_by_other"),
    Column("reply_to_remote_id", Text),
    Column("text", Text, nullable=False, server_default=""),
    Column("html", Text),
    Column("reactions", Text),
    Column("url", Text),
    Column("attachments", Text),
    UniqueConstraint("account_id", "remote_id"),
    Index("ix_posts_thread_created", "thread_id", "created_at"),
    Index("ix_posts_author_created", "author_id", "created_at"),
    # Narrow: full-text search maps matching post ids to their threads through it.
    Index("ix_posts_id_thread", "id", "thread_id"),
    # Insights' activity heatmap counts posts per hour from this index alone (migration 0005).
    Index("ix_posts_activity", "created_at", "account_id", "kind", "by_bot", "deleted_at"),
)

# --- insights roll-ups (0008) ---------------------------------------------------------------
# Running totals kept at ingest, in the transaction that writes the posts (store/rollups.py):
# a year of insights reads a few thousand of these rows instead of a million posts. Each post's
# share is recorded with it, so an edit, a tombstone, a move or a change of its thread takes
# exactly that share back out. ``author_id`` is not a foreign key: people are only ever removed
# with their account, which removes these rows too.
tallied_posts = Table(
    "tallied_posts",
    metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    # the post's author and time when it was counted (the totals' keys)
    Column("author_id", Integer, nullable=False),
    _ms("created_at", nullable=False),
    # which totals it is in: 1 activity (a human, visible post), 2 a qualifying reply
    Column("tally", Integer, nullable=False),
)

# Human, visible, not deleted posts per account and UTC hour (the activity heatmap).
activity_hours = Table(
    "activity_hours",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("hour", Millis, primary_key=True),  # the hour's first instant
    Column("posts", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Qualifying replies per account, author and UTC week (Monday 00:00) (responder load). By author
# before week: an account's replies per author come out in key order, summed without a sort.
reply_weeks = Table(
    "reply_weeks",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("author_id", Integer, primary_key=True),
    Column("week", Millis, primary_key=True),  # Monday 00:00 UTC
    Column("replies", Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Earlier texts of edited posts, written by ingest when an edit replaces a post's text.
post_versions = Table(
    "post_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text),
    _ms("edited_at"),
    _ms("replaced_at", nullable=False),
    Index("ix_post_versions_post", "post_id"),
)

raw_payloads = Table(
    "raw_payloads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("payload", Text, nullable=False),
    _ms("fetched_at", nullable=False),
    UniqueConstraint("account_id", "kind", "remote_id"),
)

cursors = Table(
    "cursors",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("scope", Text, primary_key=True),
    Column("value", Text, nullable=False),
    _ms("updated_at", nullable=False),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("lease_holder", Text),
    _ms("lease_expires_at"),
    _ms("last_attempt_at"),
    _ms("last_success_at"),
    Column("last_error_code", String(50)),
    Column("last_error", Text),
)

triage = Table(
    "triage",
    metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("status", String(10), nullable=False, server_default="open"),
    _ms("status_at"),
    _ms("snooze_until"),
    _flag("snooze_until_reply"),
    Column("assignee_id", ForeignKey("local_users.id", ondelete="SET NULL")),
    _flag("flagged"),
    Column("flag_note", Text),
    _ms("flagged_at"),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _ms("updated_at", nullable=False),
    Column("updated_by", ForeignKey("local_users.id", ondelete="SET NULL")),
    Index("ix_triage_status", "status"),
    Index("ix_triage_assignee", "assignee_id"),
)

thread_tags = Table(
    "thread_tags",
    metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag", String(100), primary_key=True),
    _ms("created_at", nullable=False),
    Index("ix_thread_tags_tag", "tag"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("op_id", String(36), nullable=False, unique=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("thread_id", ForeignKey("threads.id", ondelete="SET NULL")),
    Column("kind", String(20), nullable=False),
    Column("payload", Text, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("state", String(20), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    _ms("created_at", nullable=False),
    _ms("updated_at", nullable=False),
    _ms("first_attempt_at"),
    _ms("last_attempt_at"),
    _ms("next_attempt_at"),
    Column("last_error_code", String(50)),
    Column("last_error", Text),
    Column("remote_id", Text),
    _ms("sent_at"),
    Column("created_by", ForeignKey("local_users.id", ondelete="SET NULL")),
    Column("base_reply_count", Integer),
    Column("claimed_by", Text),
    Index("ix_outbox_state_next", "state", "next_attempt_at"),
    Index("ix_outbox_thread", "thread_id"),
)

prompts = Table(
    "prompts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("via", String(10), nullable=False),
    Column("step", Integer, nullable=False, server_default=text("1")),
    Column("op_id", String(36)),
    _ms("prompted_at", nullable=False),
    _ms("deadline_at", nullable=False),
    _ms("answered_at"),
    _flag("closed"),
    Column("created_by", ForeignKey("local_users.id", ondelete="SET NULL")),
    Index("ix_prompts_thread", "thread_id"),
    Index("ix_prompts_person_prompted", "person_id", "prompted_at"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("local_users.id", ondelete="CASCADE"), primary_key=True),
    Column("text", Text, nullable=False),
    Column("base_reply_count", Integer, nullable=False, server_default=text("0")),
    _ms("updated_at", nullable=False),
)

saved_replies = Table(
    "saved_replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("language", String(10), nullable=False, server_default="en"),
    Column("body", Text, nullable=False),
    UniqueConstraint("name", "language"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    _ms("at", nullable=False),
    Column("user_id", ForeignKey("local_users.id", ondelete="SET NULL")),
    Column("account_id", ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("thread_id", ForeignKey("threads.id", ondelete="SET NULL")),
    Column("action", String(50), nullable=False),
    Column("detail", Text, nullable=False, server_default="{}"),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_thread_id", "thread_id"),
)

# --- team mode (0007) -----------------------------------------------------------------------
# A claim is a lease stored as data: who holds the thread (a console instance and its user) until
# when. Rows are created before they are claimed (only existing rows can be locked); ``lease_no``
# counts the grants, so a write made under a lease can check the lease is still the same.
claims = Table(
    "claims",
    metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("holder", String(100)),
    Column("user_id", ForeignKey("local_users.id", ondelete="SET NULL")),
    Column("lease_no", Integer, nullable=False, server_default=text("0")),
    _ms("claimed_at"),
    _ms("expires_at"),
    _ms("released_at"),
    Index("ix_claims_holder", "holder"),
)

# Consoles that are open on the shared database, refreshed by a heartbeat.
presence = Table(
    "presence",
    metadata,
    Column("holder", String(100), primary_key=True),
    Column("user_id", ForeignKey("local_users.id", ondelete="CASCADE"), nullable=False),
    Column("host", String(255), nullable=False, server_default=""),
    Column("thread_id", ForeignKey("threads.id", ondelete="SET NULL")),
    _ms("started_at", nullable=False),
    _ms("seen_at", nullable=False),
)

# The demo connector's simulated platform keeps what users wrote to it here, so a reply made in
# one process is on "the platform" for a sync in the next (DESIGN.md §9).
sim_meta = Table(
    "sim_meta",
    metadata,
    Column("account_key", Text, primary_key=True),
    Column("key", String(50), primary_key=True),
    Column("value", Text, nullable=False),
)

sim_writes = Table(
    "sim_writes",
    metadata,
    Column("seq", Integer, primary_key=True),
    Column("account_key", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("remote_id", Text, nullable=False),
    Column("thread_remote_id", Text),
    Column("target", Text),
    Column("author_remote_id", Text, nullable=False),
    _ms("created_at", nullable=False),
    Column("body", Text, nullable=False, server_default=""),
    Column("marker", Text),
    Index("ix_sim_writes_account_seq", "account_key", "seq"),
)

# Review of flagged threads (DESIGN.md §6): the state of each flagged thread's local copy, and
# the reviewers' annotations and decisions, which travel in review packets by their uid.
review_threads = Table(
    "review_threads",
    metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("reason", String(20)),
    Column("copy_state", String(10), nullable=False, server_default="pending"),
    _ms("copy_requested_at"),
    _ms("copied_at"),
    Column("copy_error", Text),
    _ms("upstream_deleted_at"),
    _ms("updated_at", nullable=False),
    Index("ix_review_threads_copy_state", "copy_state"),
)

review_annotations = Table(
    "review_annotations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("post_remote_id", Text),
    Column("author", String(200), nullable=False),
    Column("text", Text, nullable=False),
    _ms("created_at", nullable=False),
    _ms("updated_at", nullable=False),
    _ms("deleted_at"),
    Index("ix_review_annotations_thread", "thread_id"),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uid", String(36), nullable=False, unique=True),
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), nullable=False),
    Column("decision", String(10), nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("note", Text, nullable=False, server_default=""),
    _ms("decided_at", nullable=False),
    Index("ix_review_decisions_thread_decided", "thread_id", "decided_at"),
)

# Conversation starters (the planner): each is sent by its outbox operation (``op_id``) at
# ``scheduled_at``; status and outcome are read from that operation and the thread it created.
starters = Table(
    "starters",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("container_id", ForeignKey("containers.id", ondelete="CASCADE"), nullable=False),
    Column("op_id", String(36), nullable=False, unique=True),
    Column("kind", String(10), nullable=False, server_default="post"),
    Column("title", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False),
    Column("poll_options", Text, nullable=False, server_default="[]"),
    _ms("scheduled_at", nullable=False),
    Column("on_duty", Text, nullable=False, server_default="[]"),
    Column("saved_reply_ids", Text, nullable=False, server_default="[]"),
    Column("notes", Text, nullable=False, server_default=""),
    Column("created_by", ForeignKey("local_users.id", ondelete="SET NULL")),
    _ms("created_at", nullable=False),
    _ms("updated_at", nullable=False),
    Index("ix_starters_scheduled", "scheduled_at"),
)
