"""A case keeps how it was closed (sensitive cases must say it) and a staff translation of the person's words.

``closing_outcome`` is referred / responded / unreachable (set when a sensitive case closes, kept for others
when given); ``translation`` is staff's rendering of ``description`` in a working language, beside the
person's own words, never instead of them.

Revision ID: 0009i
Revises: 0008g
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009i'
down_revision = '0008g'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feedback_cases') as batch:
        batch.add_column(sa.Column('closing_outcome', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('translation', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feedback_cases') as batch:
        batch.drop_column('translation')
        batch.drop_column('closing_outcome')
