"""explicit turn state and interview status, and a record of each turn counted in progress

Revision ID: c4d8e2a6f013
Revises: c4d2e8a6b310
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2a6f013'
down_revision = 'c4d2e8a6b310'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('turns') as batch:
        batch.add_column(sa.Column('state', sa.String(length=16), nullable=False, server_default='open'))
    # A turn closed by the clock was recorded at its deadline without a submission key.
    op.execute("""
        UPDATE turns SET state = CASE
            WHEN skipped THEN 'skipped'
            WHEN answered_at IS NULL THEN 'open'
            WHEN submission_key IS NULL AND deadline IS NOT NULL AND answered_at = deadline THEN 'expired'
            ELSE 'answered' END
    """)
    with op.batch_alter_table('turns') as batch:
        batch.drop_column('skipped')
    with op.batch_alter_table('interviews') as batch:
        batch.add_column(sa.Column('status', sa.String(length=16), nullable=False, server_default='open'))
    op.execute("UPDATE interviews SET status = 'finished' WHERE finished_at IS NOT NULL")
    op.create_table(
        'progress_records',
        sa.Column('turn_id', sa.Integer(), sa.ForeignKey('turns.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    )
    # Every counted turn of a finished interview is already in the rollups.
    op.execute("""
        INSERT INTO progress_records (turn_id, recorded_at)
        SELECT turns.id, interviews.finished_at FROM turns JOIN interviews ON interviews.id = turns.interview_id
        WHERE interviews.status = 'finished' AND turns.state != 'open'
    """)


def downgrade():
    op.drop_table('progress_records')
    with op.batch_alter_table('interviews') as batch:
        batch.drop_column('status')
    with op.batch_alter_table('turns') as batch:
        batch.add_column(sa.Column('skipped', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE turns SET skipped = (state = 'skipped')")
    with op.batch_alter_table('turns') as batch:
        batch.drop_column('state')
