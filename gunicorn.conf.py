"""gunicorn settings read from the working directory: the app is loaded once in the master
(`preload_app`) and warmed up there before the workers fork, so that they share the matching
analyser (Sudachi dictionary, JMdict lexicon) instead of loading one each, and no user waits for it."""
preload_app = True


def on_starting(server):
    """In the master, after the preload and before any worker forks."""
    from app.core.analyses import warm_up
    from wsgi import app

    warm_up(app)
