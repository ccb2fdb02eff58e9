"""key points weighed must or nice, with aliases and a follow-up question

Revision ID: a3c5e7f9b201
Revises: 8e3f4a9c1d27
Create Date: 2026-12-03 09:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a3c5e7f9b201'
down_revision = '8e3f4a9c1d27'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('key_points') as batch:
        batch.add_column(sa.Column('importance', sa.String(length=8), nullable=False, server_default='must'))
        batch.add_column(sa.Column('aliases', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('ask', sa.Text(), nullable=True))
    op.execute("UPDATE key_points SET importance = CASE WHEN weight >= 0.7 THEN 'must' ELSE 'nice' END")
    with op.batch_alter_table('key_points') as batch:
        batch.drop_column('weight')
        batch.alter_column('importance', new_column_name='weight', existing_type=sa.String(length=8),
                           existing_nullable=False, existing_server_default='must')


def downgrade():
    with op.batch_alter_table('key_points') as batch:
        batch.add_column(sa.Column('numeric_weight', sa.Float(), nullable=False, server_default='1.0'))
    op.execute("UPDATE key_points SET numeric_weight = CASE WHEN weight = 'must' THEN 1.0 ELSE 0.5 END")
    with op.batch_alter_table('key_points') as batch:
        batch.drop_column('weight')
        batch.drop_column('aliases')
        batch.drop_column('ask')
        batch.alter_column('numeric_weight', new_column_name='weight', existing_type=sa.Float(),
                           existing_nullable=False)
