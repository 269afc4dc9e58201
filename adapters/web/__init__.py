"""The verdict pages: every comparison on the web, server-rendered (Starlette + Jinja2)."""
