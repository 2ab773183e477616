"""Print jobs remember their cards, so that a batch can be reprinted unchanged.

``card_ids``: the cards a batch printed, in order. ``reprint_of_id``: the batch a reprint repeats.

Revision ID: 0009f
Revises: 0009h
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009f'
down_revision = '0009h'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('print_jobs') as batch_op:
        batch_op.add_column(sa.Column('card_ids', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('reprint_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_print_jobs_reprint_of_id_print_jobs'), 'print_jobs',
                                    ['reprint_of_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('print_jobs') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_print_jobs_reprint_of_id_print_jobs'), type_='foreignkey')
        batch_op.drop_column('reprint_of_id')
        batch_op.drop_column('card_ids')
