"""Where the whole-registry duplicate scan stands (resumable ``panoh registration duplicates``).

Revision ID: 0009a
Revises: 0009f
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009a'
down_revision = '0009f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dedup_scan_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('keys_version', sa.Integer(), nullable=True),
    sa.Column('last_person_id', sa.Integer(), nullable=True),
    sa.Column('last_key', sa.String(length=48), nullable=True),
    sa.Column('queued', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dedup_scan_states')),
    sa.UniqueConstraint('scope', name=op.f('uq_dedup_scan_states_scope'))
    )


def downgrade() -> None:
    op.drop_table('dedup_scan_states')
