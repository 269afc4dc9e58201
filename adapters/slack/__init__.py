"""shipbot on Slack: a slack-bolt ``AsyncApp`` that translates Slack requests to core calls.

``build_slack_app`` (``app.py``) is the composition used by tests and by ``run_slack``
(``runner.py``); ``render.py`` and ``escape.py`` are pure and platform-facing only.
"""
