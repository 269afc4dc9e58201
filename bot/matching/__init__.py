"""Find the catalog tool a person means, and split ``/compare A vs B`` into its two sides.

How ``ToolMatcher.resolve`` decides (it never guesses between versions):

1. The query and every catalog name/alias are reduced to canonical tokens (``bot.normalize``).
   Lookup keys are the *sorted* tokens (word order does not matter) and the tokens glued
   together (``deep seek`` == ``deepseek``, ``dall e`` == ``dalle``).
2. Each catalog entry is indexed under a few keys with a penalty: as written (0), without noise
   words such as "model", "api", "instruct" (1), without the vendor ("OpenAI", "Meta") (2),
   and without its family word when a version plus a distinguishing word remain
   ("GPT-4o" -> "4o", "Claude 3.5 Sonnet" -> "3.5 sonnet") (3).  The query is looked up the
   same way (noise words, dates like ``20241022`` and an ``org/`` prefix may be dropped).
   Every key keeps *all* version tokens: numbers, sizes (3b, 70b), suffixes (mini, pro, +),
   so "gpt-4o" can never reach "GPT-4o mini" and a version that never existed finds nothing.
3. The lowest total penalty wins; two different tools at that penalty are ``Ambiguous``.
   A query that is one bare family word ("Claude", "Gemini app") names only a tool of exactly
   that name, and a key without the tool's family word ("4o") is not taken when the query
   names another family ("Qwen3 8B" never finds "Grayline Qwen3 8B").
4. If nothing matched: a routed id without its hops, then ever shorter readings without what
   people add around a name (``bot.matching.asides``: id decorations, "from X", bracketed
   asides, descriptors, dates).  A reading's Match stands only if no other tool carries a word
   that was taken off beside the found tool's words (else ``Ambiguous``), and no word taken off
   tells tools of that family apart (else no answer).
5. Then words that are not in the catalog vocabulary are corrected to words within a small
   edit distance (never digits, never one version word into another) and step 3 is repeated.
   Anything else is ``NotFound`` with suggestions from the same family.

All lookups are dictionary hits, so ``resolve`` costs the same for 100 or 100 000 tools; the
only scans are the bounded typo search, the guard of step 4 (postings of the found tool's
words) and ranking suggestions.
"""

from bot.matching.matcher import ToolMatcher
from bot.matching.results import Ambiguous, Match, NotFound, Resolution
from bot.matching.split import split_compare
from bot.normalize import normalize

__all__ = [
    "Ambiguous",
    "Match",
    "NotFound",
    "Resolution",
    "ToolMatcher",
    "normalize",
    "split_compare",
]
