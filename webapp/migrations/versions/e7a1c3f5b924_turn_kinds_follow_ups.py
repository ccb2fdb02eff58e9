"""turns: a kind (question, follow-up, second attempt), the question turn it belongs to and the point it asks;
interviews: how many follow-ups each question may get

Revision ID: e7a1c3f5b924
Revises: d1e5f7a9c302
Create Date: 2026-12-03 16:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a1c3f5b924'
down_revision = 'd1e5f7a9c302'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('turns') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='question'))
        batch.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('point_uid', sa.String(length=32), nullable=True))
        batch.create_foreign_key('fk_turns_parent_id_turns', 'turns', ['parent_id'], ['id'], ondelete='CASCADE')
        batch.create_index('ix_turns_parent_id', ['parent_id'])
        batch.create_unique_constraint('uq_turns_parent_id_point_uid', ['parent_id', 'point_uid'])
    op.create_index('uq_turns_one_retry', 'turns', ['parent_id'], unique=True,
                    sqlite_where=sa.text("kind = 'retry'"), postgresql_where=sa.text("kind = 'retry'"))
    # Interviews started before follow-ups existed keep running without them.
    with op.batch_alter_table('interviews') as batch:
        batch.add_column(sa.Column('follow_ups', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('interviews') as batch:
        batch.drop_column('follow_ups')
    op.drop_index('uq_turns_one_retry', table_name='turns')
    op.execute("DELETE FROM turns WHERE parent_id IS NOT NULL")
    with op.batch_alter_table('turns') as batch:
        batch.drop_constraint('uq_turns_parent_id_point_uid', type_='unique')
        batch.drop_index('ix_turns_parent_id')
        batch.drop_constraint('fk_turns_parent_id_turns', type_='foreignkey')
        batch.drop_column('point_uid')
        batch.drop_column('parent_id')
        batch.drop_column('kind')
