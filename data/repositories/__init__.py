"""SQL implementations of the core's repository ports (``bot.ports``)."""

from data.repositories.cards import SqlCardRepository
from data.repositories.facts import SqlFactRepository
from data.repositories.reviews import SqlReviewRepository
from data.repositories.tools import SqlToolRepository
from data.repositories.votes import SqlVoteRepository
from data.repositories.welcomes import SqlWelcomeRepository

__all__ = [
    "SqlCardRepository",
    "SqlFactRepository",
    "SqlReviewRepository",
    "SqlToolRepository",
    "SqlVoteRepository",
    "SqlWelcomeRepository",
]
