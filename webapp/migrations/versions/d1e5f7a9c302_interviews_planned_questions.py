"""interviews: how many questions were drawn, so an interview ended early says "ended after 3 of 17"

Revision ID: d1e5f7a9c302
Revises: c4d8e2f6a913
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd1e5f7a9c302'
down_revision = 'c4d8e2f6a913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interviews') as batch:
        batch.add_column(sa.Column('planned_questions', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('interviews') as batch:
        batch.drop_column('planned_questions')
