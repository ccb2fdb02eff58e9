"""an erratum note on a question whose reference is wrong, and where its curated key points come from

Revision ID: c4d2e8a6b310
Revises: a3c5e7f9b201
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d2e8a6b310'
down_revision = 'a3c5e7f9b201'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('questions') as batch:
        batch.add_column(sa.Column('erratum', sa.Text(), nullable=True))
        batch.add_column(sa.Column('curated_source', sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table('questions') as batch:
        batch.drop_column('curated_source')
        batch.drop_column('erratum')
