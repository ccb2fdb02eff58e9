"""Thin command-line entry points; each one calls a service."""

import json

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from .errors import DomainError
from .extensions import db
from .questionbank import BankFormatError
from .services import accounts
from .services import backup as backup_service
from .services import bank as bank_service

bank_cli = AppGroup("bank", help="Import and export question banks.")
user_cli = AppGroup("user", help="Administer accounts (there is no mail server).")


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database or bring it to the current schema (safe to run again)."""
    upgrade()
    bank_service.sync_topics()
    db.session.commit()
    bank_service.refresh_search_index()  # the term table may have grown since the bank was imported
    click.echo("Database is at the current schema.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Back up the SQLite database while the server runs, e.g. `flask --app webapp backup backups/today.sqlite3`."""
    try:
        backup_service.backup(path)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace everything in the database with this backup?")
@with_appcontext
def restore_command(path):
    """Bring back a backup made by `backup`, e.g. `flask --app webapp restore --yes backups/today.sqlite3`."""
    try:
        backup_service.restore(path)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {path}; run init-db if the backup is from an older version.")


@bank_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def import_command(paths):
    """Import question banks from files or folders, e.g. `flask --app webapp bank import seeds/`."""
    try:
        report = bank_service.import_bank(paths)
    except BankFormatError as error:
        raise click.ClickException(f"{error}; nothing was imported") from error
    click.echo(report.summary())


@bank_cli.command("export")
def export_command():
    """Write the bank as JSON Lines to stdout, one question per line."""
    for record in bank_service.export_bank():
        click.echo(json.dumps(record, ensure_ascii=False))


@user_cli.command("promote")
@click.argument("username")
def promote_command(username):
    """Make a user an admin, e.g. `flask --app webapp user promote alice`."""
    try:
        user = accounts.promote(username)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.username} is now an admin.")


@user_cli.command("set-password")
@click.argument("username")
@click.password_option("--password", prompt="New password", help="Read from a hidden prompt when omitted.")
def set_password_command(username, password):
    """Set a user's password, e.g. `flask --app webapp user set-password alice` (asks twice, hidden)."""
    try:
        user = accounts.reset_password(username, password)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Password of {user.username} changed.")


def register(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(bank_cli)
    app.cli.add_command(user_cli)
