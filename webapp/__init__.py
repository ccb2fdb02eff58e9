"""Mianshi: mock interviews for LLM / deep-learning roles."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

MIGRATIONS_DIR = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, commands."""
    # Flask is imported here, not at module level, so the pure packages
    # (`python -m webapp.grading`) start without loading the web stack.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from . import commands, database, edge, errors, i18n
    from .auth import bp as auth_bp
    from .auth import init_login
    from .bank import bp as bank_bp
    from .config import Config, generated_secret_key
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .history import bp as history_bp
    from .interview import bp as interview_bp
    from .main import bp as main_bp
    from .rendering import clock_text, render_inline, render_markdown, score_text

    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(Config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.from_mapping(test_config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = generated_secret_key(app.instance_path)

    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    edge.init_app(app)  # first: its hooks size the body limit before CSRF or the limiter read the form
    db.init_app(app)
    database.configure(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    login_manager.init_app(app)
    init_login(login_manager)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    i18n.keep_catalogs_loaded(app)
    app.jinja_env.globals.update(current_locale=i18n.current_locale_name, mode_name=i18n.mode_name,
                                 render_markdown=render_markdown, render_inline=render_inline,
                                 clock_text=clock_text, score_text=score_text)

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(bank_bp, url_prefix="/bank")
    app.register_blueprint(history_bp)
    app.register_blueprint(interview_bp, url_prefix="/interviews")
    errors.register(app)
    commands.register(app)
    return app
