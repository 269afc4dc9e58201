# syntax=docker/dockerfile:1
# A small multi-stage image: build a virtualenv, copy only it into a slim runtime as a non-root user.
#   docker build -t shipbot .
#   docker run --env-file .env shipbot run discord
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY data ./data
RUN python -m venv /opt/shipbot && /opt/shipbot/bin/pip install .

FROM python:3.11-slim
ENV PATH=/opt/shipbot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib \
    SHIPBOT_DATABASE_URL=sqlite+aiosqlite:////var/lib/shipbot/shipbot.db
RUN useradd --system --uid 10001 --home-dir /var/lib/shipbot --create-home shipbot
COPY --from=build /opt/shipbot /opt/shipbot
USER shipbot
WORKDIR /var/lib/shipbot
VOLUME ["/var/lib/shipbot"]
# 3000: Slack HTTP mode; 8080: GET /healthz and /metrics in every mode (SHIPBOT_HEALTH_PORT).
EXPOSE 3000 8080
# `shipbot health` asks the running bot's health server (standard library only, ~0.1 s): healthy
# when the database answers and every platform connection is up.
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["shipbot", "health"]
# Exec form: shipbot is PID 1 and handles SIGTERM itself (it drains and exits 0 within
# SHIPBOT_SHUTDOWN_SECONDS, 8 s, inside `docker stop`'s 10 s grace), so no init is needed;
# `docker run --init` (tini) also works.
ENTRYPOINT ["shipbot"]
CMD ["run", "all"]
