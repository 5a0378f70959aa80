# syntax=docker/dockerfile:1
# Every step is scripts/container-steps, which scripts/test also runs outside Docker (`check`),
# so the image's steps are tested on every run although Docker is not there.

# Build stage: the pinned dependencies in a layer of their own (rebuilt only when pyproject.toml
# or constraints.txt change), then the service on top.
FROM python:3.11-slim AS build
WORKDIR /app
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY scripts/container-steps /usr/local/bin/container-steps
COPY pyproject.toml constraints.txt ./
RUN bash /usr/local/bin/container-steps deps /opt/venv
COPY service ./service
RUN bash /usr/local/bin/container-steps app /opt/venv

# Runtime stage: the virtual environment, migrations and contracts; no compilers, non-root.
FROM python:3.11-slim AS runtime
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cara
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /usr/local/bin/container-steps /usr/local/bin/container-steps
COPY migrations ./migrations
COPY contracts ./contracts
COPY alembic.ini ./
RUN mkdir -p /app/var && chown cara /app/var
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 CARA_ENVIRONMENT=production PORT=8000
USER cara
EXPOSE 8000
# Ready, not merely alive: the database answers and its schema is at the migrations' head.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "/usr/local/bin/container-steps", "healthcheck"]
CMD ["cara", "serve", "--host", "0.0.0.0", "--port", "8000"]
