"""monthly score rollup, so the progress page of a long history reads a few hundred rows

Revision ID: 8e3f4a9c1d27
Revises: 5b1d0c7e2a41
Create Date: 2026-11-24 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '8e3f4a9c1d27'
down_revision = '5b1d0c7e2a41'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'monthly_topic_scores',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('topic_slug', sa.String(length=64), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('score_sum', sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'month', 'topic_slug'),
    )
    if op.get_bind().dialect.name == 'postgresql':
        month = "CAST(date_trunc('month', day) AS DATE)"
    else:
        month = "date(day, 'start of month')"
    op.execute(
        "INSERT INTO monthly_topic_scores (user_id, month, topic_slug, answers, score_sum) "
        f"SELECT user_id, {month}, topic_slug, SUM(answers), SUM(score_sum) FROM daily_topic_scores "
        f"GROUP BY user_id, {month}, topic_slug"
    )


def downgrade():
    op.drop_table('monthly_topic_scores')
