"""Collections the server cannot take at the device's word are kept and flagged for review.

``flags`` lists why (double, outside_round, clock, id_conflict); ``device_time`` keeps the time as
the device sent it; ``fingerprint`` tells a retry from a reused id, and ``device_uid`` keeps the id a
device reused for other content (the server then makes the collection's ``uid``). Doubles recorded
before this revision are flagged 'double'.

Revision ID: 0008g
Revises: 0008h
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0008g'
down_revision = '0008h'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('collections') as batch:
        batch.add_column(sa.Column('device_uid', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('fingerprint', sa.String(length=32), nullable=True))
        batch.add_column(sa.Column('device_time', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('flags', sa.String(length=60), nullable=True))
    op.execute("UPDATE collections SET flags = 'double' WHERE status = 'double'")
    op.create_index('ix_collections_round_flagged', 'collections', ['round_id'], unique=False,
                    sqlite_where=sa.text('flags IS NOT NULL'), postgresql_where=sa.text('flags IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_collections_round_flagged', table_name='collections')
    with op.batch_alter_table('collections') as batch:
        batch.drop_column('flags')
        batch.drop_column('device_time')
        batch.drop_column('fingerprint')
        batch.drop_column('device_uid')
