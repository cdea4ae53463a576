# Sakura Exchange Portal: one image for web (gunicorn), worker and beat (Celery).
# Kept in step with the Makefile: same uv version, same uv.lock, same `uv sync --frozen`.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:${PATH}"

# Fonts for the letters (Noto CJK for Japanese, Noto core for Thai, Devanagari, Khmer, ...),
# gettext for compilemessages, and WeasyPrint's runtime libraries.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        fonts-noto-core \
        gettext \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
    && rm -rf /var/lib/apt/lists/*

RUN pip install "uv==0.13.9"

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev

COPY . .
# The portal's own modules compiled too (the dependencies are, by UV_COMPILE_BYTECODE): with
# PYTHONDONTWRITEBYTECODE every gunicorn, Celery and manage.py process would compile them again.
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && python -m compileall -q -x '/\.venv/' .

# Run as a non-root user; only media and collected static files are writable.
RUN useradd --create-home --uid 1000 --user-group sakura \
    && mkdir -p /data/media /app/staticfiles \
    && chown sakura:sakura /data/media /app/staticfiles
USER sakura

ENV MEDIA_ROOT=/data/media
EXPOSE 8000

CMD ["gunicorn", "sakura.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
