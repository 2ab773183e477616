"""ID cards and the Ed25519 keys that sign their QR codes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signing_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=8), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_signing_keys_kid'))
    )
    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=12), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=8), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.Column('printed_by_id', sa.Integer(), nullable=True),
    sa.Column('last_printed_at', sa.DateTime(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('code', sa.String(length=200), nullable=False),
    sa.CheckConstraint("status IN ('valid', 'replaced', 'lost', 'revoked')", name=op.f('ck_cards_status')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_cards_household_id_households')),
    sa.ForeignKeyConstraint(['printed_by_id'], ['users.id'], name=op.f('fk_cards_printed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['cards.id'], name=op.f('fk_cards_replaced_by_id_cards'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards')),
    sa.UniqueConstraint('serial', name=op.f('uq_cards_serial'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_cards_household_status', ['household_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index('ix_cards_household_status')
        batch_op.drop_index(batch_op.f('ix_cards_household_id'))

    op.drop_table('cards')
    op.drop_table('signing_keys')
