# syntax=docker/dockerfile:1
# Build stage: install the pinned dependencies and the service into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY pyproject.toml constraints.txt ./
COPY service ./service
RUN pip install -c constraints.txt .

# Runtime stage: the virtual environment, migrations and contracts; no compilers, non-root.
FROM python:3.11-slim AS runtime
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin cara
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY migrations ./migrations
COPY contracts ./contracts
COPY alembic.ini ./
RUN mkdir -p /app/var && chown cara /app/var
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 CARA_ENVIRONMENT=production
USER cara
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status == 200 else 1)"
CMD ["cara", "serve", "--host", "0.0.0.0", "--port", "8000"]
