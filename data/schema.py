"""The SQL schema (SQLAlchemy 2). Changes go through Alembic migrations in ``data/migrations``."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no time zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use UTC-aware datetimes")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CatalogMeta(Base):
    """A single row whose revision every catalog write bumps (see bot.catalog_index)."""

    __tablename__ = "catalog_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ToolRow(Base):
    __tablename__ = "tools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    normalized: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    category: Mapped[str] = mapped_column(String(60), nullable=False)
    tagline: Mapped[str] = mapped_column(String(200), nullable=False)
    entry: Mapped[str] = mapped_column(String(20), nullable=False)
    pricing_note: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False)
    url: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # An archived tool is out of matching and new cards; its votes, cards and reviews stay.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    archived_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    # The profile text was written by ``catalog sync`` from facts (sync may rewrite it); any
    # admin edit clears it, and sync never touches admin-written text again (migration 0008).
    synced: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=sa_false()
    )

    aliases: Mapped[list[AliasRow]] = relationship(
        back_populates="tool",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AliasRow.id",
    )
    reviews: Mapped[list[ReviewRow]] = relationship(
        back_populates="tool",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ReviewRow.id",
    )


class AliasRow(Base):
    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    alias: Mapped[str] = mapped_column(String(100), nullable=False)
    normalized: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)

    tool: Mapped[ToolRow] = relationship(back_populates="aliases")


class CatalogNameRow(Base):
    """Every normalized name and alias in the catalog, with the one tool it points to.

    Kept by triggers on ``tools`` and ``aliases`` (migration 0009), so the database itself refuses
    a name or alias that another tool already answers to, whatever path writes it.
    """

    __tablename__ = "catalog_names"

    normalized: Mapped[str] = mapped_column(String(200), primary_key=True)
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False, index=True
    )


class ToolSuggestionRow(Base):
    """A tool a community admin asked the operator's catalog admins to add."""

    __tablename__ = "tool_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), nullable=False)
    community: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )


class ReviewRow(Base):
    """A review of one tool for one lens: editorial, an AI draft or a member take (``kind``).

    Drafts wait with ``status`` queued until an admin approves or rejects them (migration 0010);
    a tool's panel is its newest approved review of each lens, older approved ones are history.
    AI drafts keep their receipts: provider, model, prompt version, token usage, the facts they
    relied on and the reviewer's flags (JSON lists of strings).
    """

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_tool_lens", "tool_id", "lens"),
        Index("ix_reviews_status", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"), nullable=False)
    lens: Mapped[str] = mapped_column(String(20), nullable=False)
    reviewer: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    quote: Mapped[str] = mapped_column(Text, nullable=False)
    verdict: Mapped[str] = mapped_column(String(10), nullable=False)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="editorial")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="approved")
    author: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    author_id: Mapped[str] = mapped_column(String(160), nullable=False, default="")
    provider: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    model: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    prompt_version: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    prompt_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    flags: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    decided_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    tool: Mapped[ToolRow] = relationship(back_populates="reviews")


class CardRow(Base):
    """A posted comparison: maps a message back to its pair, and is refreshed as votes arrive."""

    __tablename__ = "cards"
    __table_args__ = (
        UniqueConstraint("platform", "channel", "message_id"),
        Index("ix_cards_pair", "platform", "community", "tool_low", "tool_high", "created_at"),
        Index("ix_cards_recent", "platform", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), nullable=False)
    community: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str] = mapped_column(String(64), nullable=False)
    message_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    tool_a: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"), nullable=False)
    tool_b: Mapped[int] = mapped_column(ForeignKey("tools.id", ondelete="CASCADE"), nullable=False)
    tool_low: Mapped[int] = mapped_column(Integer, nullable=False)
    tool_high: Mapped[int] = mapped_column(Integer, nullable=False)
    lens: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # End of the current refresh window (bot.refresh): edits across processes stay coalesced.
    refresh_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Closing the vote (bot.closing, migration 0013): who asked, when it ends on its own, and
    # when / by whom it was closed with the split here it froze (votes for tool_a, tool_b).
    asked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    final_a: Mapped[int | None] = mapped_column(Integer, nullable=True)
    final_b: Mapped[int | None] = mapped_column(Integer, nullable=True)


class VoteRow(Base):
    """One person's current pick for one pair in one community; the unique key makes writes
    idempotent upserts, so retries and duplicate events can never count twice.

    The three indexes cover every count a card makes (migration 0004), so tallies are read from
    the indexes alone and never touch the table: ``ix_votes_pair_choice`` serves a pair's tally
    everywhere (a range per choice) and in one community (a seek per choice), with the voter's
    account age for the anti-stuffing rule; ``ix_votes_low_choice`` / ``ix_votes_high_choice``
    serve a tool's share over all its pairs (and the foreign keys' cascades).
    """

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("platform", "community", "user_id", "tool_low", "tool_high"),
        Index(
            "ix_votes_pair_choice",
            "tool_low",
            "tool_high",
            "choice",
            "platform",
            "community",
            "voter_created_at",
        ),
        Index("ix_votes_low_choice", "tool_low", "choice"),
        Index("ix_votes_high_choice", "tool_high", "choice"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), nullable=False)
    community: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[str] = mapped_column(String(64), nullable=False)
    tool_low: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False
    )
    tool_high: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False
    )
    choice: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    card_id: Mapped[int | None] = mapped_column(
        ForeignKey("cards.id", ondelete="SET NULL"), nullable=True, index=True
    )
    voter_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class PairTallyRow(Base):
    """Votes per side for one pair in one community, kept by triggers on ``votes``.

    The triggers (migration 0007) update these rows in the same transaction as the vote, from
    the row's real old and new values, so the counts are exact under any concurrency; a card reads
    one row instead of counting votes. A migration that rebuilds ``votes`` (SQLite's batch mode
    copies the table) must create the triggers again.
    """

    __tablename__ = "pair_tallies"

    tool_low: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True
    )
    tool_high: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    votes_low: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    votes_high: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class PairTotalRow(Base):
    """Votes per side for one pair over every community (see ``PairTallyRow``)."""

    __tablename__ = "pair_totals"

    tool_low: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True
    )
    tool_high: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    votes_low: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    votes_high: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class ToolTallyRow(Base):
    """One tool's head-to-head record over all its pairs: ``picks`` of ``total`` votes."""

    __tablename__ = "tool_tallies"

    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True
    )
    picks: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class VoteWithdrawalRow(Base):
    """A vote its owner withdrew by button or command, so a reaction still on a card is not theirs
    any more: the start-up reconcile must not write the vote back (migration 0009). A new vote
    by any path clears it."""

    __tablename__ = "vote_withdrawals"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    community: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tool_low: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True
    )
    tool_high: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class ProcessedEvent(Base):
    """Platform event ids already applied: a retried or re-delivered event is applied once, and a
    late retry can never undo a newer vote."""

    __tablename__ = "processed_events"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )


class SubscriptionRow(Base):
    """A channel subscribed to the weekly verdicts digest. ``next_run_at`` lives in the database
    so the schedule survives restarts, and claiming a run is one conditional UPDATE, so a run is
    posted once even with many processes."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("platform", "community", "channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20), nullable=False)
    community: Mapped[str] = mapped_column(String(64), nullable=False)
    channel: Mapped[str] = mapped_column(String(64), nullable=False)
    weekday: Mapped[int] = mapped_column(Integer, nullable=False)
    hour: Mapped[int] = mapped_column(Integer, nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Failed posts of the current run in a row, and since when (migration 0011).
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class WelcomeRow(Base):
    """A community shipbot has posted its welcome in (migration 0012): one row each, so a
    rejoin or a restart never welcomes it again."""

    __tablename__ = "welcomes"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    community_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    welcomed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class MetaRow(Base):
    """Install-wide values, e.g. the salt that hashes user ids in exports."""

    __tablename__ = "install_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class ToolFactRow(Base):
    """One source's value for one field of one tool, with where and when it was stated.

    ``pinned`` facts (curated in data/facts/, or set by an admin) win over every source and are
    never overwritten by ``catalog sync``; each source's rows are upserted by (tool, key, source).
    """

    __tablename__ = "tool_facts"
    __table_args__ = (UniqueConstraint("tool_id", "key", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[str] = mapped_column(String(40), nullable=False)
    source_url: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    as_of: Mapped[date] = mapped_column(Date, nullable=False)
    pinned: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class OfferingRow(Base):
    """One provider serving a tool's model at a price (US$ per 1M tokens), as one source says."""

    __tablename__ = "offerings"
    __table_args__ = (UniqueConstraint("tool_id", "provider", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    provider: Mapped[str] = mapped_column(String(60), nullable=False)
    provider_name: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    model_id: Mapped[str] = mapped_column(String(200), nullable=False)
    input_per_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    output_per_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    cache_read_per_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    cache_write_per_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    context: Mapped[int | None] = mapped_column(Integer, nullable=True)
    official: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    source: Mapped[str] = mapped_column(String(40), nullable=False)
    source_url: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    as_of: Mapped[date] = mapped_column(Date, nullable=False)


class CatalogChangeRow(Base):
    """What a sync changed that a team should hear about: a price change or a deprecation."""

    __tablename__ = "catalog_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tool_id: Mapped[int] = mapped_column(
        ForeignKey("tools.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # price | deprecated
    detail: Mapped[str] = mapped_column(String(300), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, index=True
    )
