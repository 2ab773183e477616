"""Households checked valid at a distribution point but not recorded ("skip it", issue 15 #7).

Revision ID: 0009e
Revises: 0009i
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009e'
down_revision = '0009i'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('skipped_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('point', sa.String(length=40), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('skipped_at', sa.String(length=40), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_skipped_checks_household_id_households')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_skipped_checks_officer_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['distribution_rounds.id'],
                            name=op.f('fk_skipped_checks_round_id_distribution_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skipped_checks')),
    sa.UniqueConstraint('uid', name=op.f('uq_skipped_checks_uid'))
    )
    op.create_index(op.f('ix_skipped_checks_round_id'), 'skipped_checks', ['round_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_skipped_checks_round_id'), table_name='skipped_checks')
    op.drop_table('skipped_checks')
