"""turns remember the key points a spaced review flagged

Revision ID: 5b1d0c7e2a41
Revises: 32edb76c3af5
Create Date: 2026-11-24 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b1d0c7e2a41'
down_revision = '32edb76c3af5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flagged_point_uids', sa.JSON(), nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('turns', schema=None) as batch_op:
        batch_op.drop_column('flagged_point_uids')
