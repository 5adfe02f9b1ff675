"""Entry point for gunicorn: `gunicorn wsgi:app` (gunicorn.conf.py preloads it and warms it up)."""
from app import create_app

app = create_app()
