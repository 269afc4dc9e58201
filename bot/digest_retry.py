"""When a digest that failed to post is tried again, and when it is not.

A transient failure (the platform is down, rate limits, a timeout) backs off exponentially
(1, 2, 4 … minutes, at most an hour) and gives up on that week's run after
:data:`MAX_FAILURES` failures in a row or :data:`GIVE_UP_AFTER`; the next weekly run is tried as
usual. A channel that is gone or that shipbot may not see (:class:`ChannelGone`) is
unsubscribed at once: retrying could never help.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MAX_FAILURES = 6
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)


class ChannelGone(Exception):
    """Raised by a platform's digest ``post``: the channel was deleted or archived, or shipbot
    was removed from it or lost access. The message says which, for the log."""


def retry_at(failures: int, failing_since: datetime, now: datetime) -> datetime | None:
    """When to try again after the ``failures``-th failure in a row (the first at
    ``failing_since``); ``None``: give this run up."""
    if failures >= MAX_FAILURES or now - failing_since >= GIVE_UP_AFTER:
        return None
    return now + min(FIRST_RETRY * (1 << max(failures - 1, 0)), MAX_RETRY)
