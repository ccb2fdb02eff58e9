"""users: a session version that ends sessions, and a folded username key unique on every database

Revision ID: c4d8e2f6a913
Revises: c4d8e2a6f013
Create Date: 2026-12-03 10:00:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2f6a913'
down_revision = 'c4d8e2a6f013'
branch_labels = None
depends_on = None


def _key(username):
    # The same fold as models.username_key, copied so this migration keeps working if the model changes.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username.strip()).casefold())


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('username_key', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    users = connection.execute(sa.text("SELECT id, username FROM users ORDER BY id")).all()
    owners = {}
    for user_id, username in users:
        owners.setdefault(_key(username), []).append(username)
    clashes = [names for names in owners.values() if len(names) > 1]
    if clashes:
        raise RuntimeError(f"usernames that differ only by case or width must be renamed first: {clashes}")
    for user_id, username in users:
        connection.execute(sa.text("UPDATE users SET username_key = :key WHERE id = :id"),
                           {"key": _key(username), "id": user_id})
    with op.batch_alter_table('users') as batch:
        batch.alter_column('username_key', existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint('uq_users_username_key', ['username_key'])


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_constraint('uq_users_username_key', type_='unique')
        batch.drop_column('username_key')
        batch.drop_column('session_version')
