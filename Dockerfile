# syntax=docker/dockerfile:1
# Claimwatch: a slim image with the shipped models, running as a non-root user.
#   docker build -t claimwatch .
#   docker compose up -d        (see compose.yaml and the README's "Run it in a container")

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- build: compilers live only here, in case a dependency has no wheel for this platform ----
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/claimwatch
ENV PATH=/opt/claimwatch/bin:$PATH
WORKDIR /src
# Dependencies first (a layer that survives code changes), then the code itself.
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
# The postgres extra is the optional PostgreSQL driver; pip only warns if this version has none.
RUN pip install ".[postgres]"

# ---- runtime: the virtual environment, the models and the examples; no compilers, no pip cache ----
FROM ${PYTHON_IMAGE}
RUN groupadd --system --gid 10001 claimwatch \
 && useradd --system --uid 10001 --gid claimwatch --home-dir /app --shell /usr/sbin/nologin claimwatch
COPY --from=build /opt/claimwatch /opt/claimwatch
WORKDIR /app
COPY models ./models
COPY examples ./examples
COPY claimwatch.example.toml ./
ENV PATH=/opt/claimwatch/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/app/.matplotlib \
    CLAIMWATCH_MODEL_DIR=/app/models \
    CLAIMWATCH_DB=/data/claimwatch.db \
    CLAIMWATCH_HTTP_HOST=0.0.0.0 \
    CLAIMWATCH_HTTP_PORT=8080
# The chart library's font cache is built once here, not at every start of a fresh container.
RUN mkdir -p /data /app/var /app/.matplotlib \
 && python -c "import matplotlib.font_manager" \
 && chown -R claimwatch:claimwatch /data /app/var /app/.matplotlib
USER claimwatch
VOLUME ["/data"]
EXPOSE 8080
# Alive = /healthz answers 200 (urlopen raises on anything else); slim images have no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; u.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('CLAIMWATCH_HTTP_PORT', '8080'), timeout=4)"]
# The same `claimwatch run` as `make run`; `docker compose run bot backup /data/backup.db` etc. work too.
ENTRYPOINT ["claimwatch"]
CMD ["run"]
