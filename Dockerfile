# BRM Office - production image (gunicorn by default; the same image runs
# migrations, the Celery worker and beat, see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=brm.settings.base

WORKDIR /app

# WeasyPrint (the PDF documents) needs pango and a font; slim images carry neither.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so this layer stays cached until pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep=chr(10))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# The project itself, then static files (collected with throwaway settings:
# nothing here touches a real database or the real secret key).
COPY . .
RUN pip install --no-deps . \
 && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
 && rm -f /tmp/build.sqlite3 \
 && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home brm \
 && mkdir -p /app/var/media \
 && chown -R brm:brm /app/var

USER brm
EXPOSE 8000
CMD ["gunicorn", "brm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
