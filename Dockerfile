# One image for every application service in docker-compose.yml: web (the default
# command), migrate, worker and beat differ only in their command.
FROM python:3.11-slim

# The locations are fixed in the image, not left to .env: static files are collected
# at build time and must be found where they were put, and /app/var and /app/media are
# the mount points of named volumes in docker-compose.yml.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    COP_VAR_DIR=/app/var \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

RUN groupadd --system --gid 10001 cop \
    && useradd --system --uid 10001 --gid cop --home-dir /app --no-create-home cop

WORKDIR /app

# pg_dump and pg_restore for `manage.py backup` / `restore`, of the major version of
# the compose file's Postgres (16): a pg_dump older than its server refuses to dump it,
# and Debian's own client is older. From the PostgreSQL project's apt repository.
ARG POSTGRES_CLIENT_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && . /etc/os-release \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends "postgresql-client-${POSTGRES_CLIENT_MAJOR}" \
    && apt-get purge -y curl && apt-get autoremove -y \
    && rm -rf /var/lib/apt/lists/*

# Dependencies before the code, so that a code change reuses this layer.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

# The code stays owned by root: the app user can write only to its volumes.
COPY . .

# Settings refuse to load without a secret key (and with one from the repository); this
# random one exists only for the length of this command and is not stored in the image.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_READ_DOT_ENV_FILE=0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var /app/media \
    && chown cop:cop /app/var /app/media

USER cop

EXPOSE 8000

# No HEALTHCHECK here: worker and beat run this image too and serve no HTTP; the web
# healthcheck is in docker-compose.yml. gunicorn reads WEB_CONCURRENCY for --workers.
CMD ["gunicorn", "cop_platform.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
