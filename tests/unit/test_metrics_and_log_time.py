"""The metrics page carries the process and GC collectors and the two work-waiting gauges, and a
JSON log line's time is ISO-8601 with its zone."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from adapters.logging_setup import ContextFormatter
from adapters.observability import Metrics


def test_metrics_expose_process_gc_and_the_waiting_work() -> None:
    metrics = Metrics()
    queued, pending = [3], [2]
    metrics.watch_votes(lambda: queued[0])
    metrics.watch_refreshes(lambda: pending[0])
    metrics.watch_refreshes(lambda: 1)
    page = metrics.exposition().decode()
    assert "process_cpu_seconds_total" in page
    assert "python_gc_collections_total" in page
    assert "shipbot_vote_queue_depth 3.0" in page
    assert "shipbot_card_refreshes_pending 3.0" in page
    queued[0] = 0
    assert "shipbot_vote_queue_depth 0.0" in metrics.exposition().decode()


def test_json_log_time_is_iso_8601_with_zone() -> None:
    record = logging.LogRecord("shipbot", logging.INFO, "p", 1, "hello", None, None)
    line = json.loads(ContextFormatter(as_json=True).format(record))
    when = datetime.fromisoformat(line["time"])
    assert when.tzinfo is not None and "T" in line["time"]
    assert abs(when.timestamp() - record.created) < 0.001
