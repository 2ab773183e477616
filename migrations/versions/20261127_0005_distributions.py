"""Distribution rounds, their items, alternate collectors and collections.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('distribution_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('rule', sa.String(length=12), nullable=False),
    sa.Column('brackets', sa.String(length=200), nullable=True),
    sa.Column('statuses', sa.String(length=60), nullable=False),
    sa.Column('alternates_allowed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("rule IN ('household', 'person', 'brackets')", name=op.f('ck_distribution_rounds_rule')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_distribution_rounds_status')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_distribution_rounds_dates_in_order')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_distribution_rounds_camp_id_camps')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_distribution_rounds_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_distribution_rounds'))
    )
    with op.batch_alter_table('distribution_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distribution_rounds_camp_id'), ['camp_id'], unique=False)

    op.create_table('alternate_collectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_orig', sa.String(length=120), nullable=True),
    sa.Column('relation', sa.String(length=60), nullable=True),
    sa.Column('document', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_alternate_collectors_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_alternate_collectors_household_id_households')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alternate_collectors'))
    )
    with op.batch_alter_table('alternate_collectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alternate_collectors_household_id'), ['household_id'], unique=False)

    op.create_table('round_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Float(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_round_items_quantity_positive')),
    sa.ForeignKeyConstraint(['round_id'], ['distribution_rounds.id'], name=op.f('fk_round_items_round_id_distribution_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_items')),
    sa.UniqueConstraint('round_id', 'position', name=op.f('uq_round_items_round_id'))
    )
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_items_round_id'), ['round_id'], unique=False)

    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('card_serial', sa.String(length=12), nullable=True),
    sa.Column('collected_by', sa.String(length=10), nullable=False),
    sa.Column('alternate_id', sa.Integer(), nullable=True),
    sa.Column('point', sa.String(length=40), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('collected_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('offline', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('review', sa.String(length=10), nullable=True),
    sa.Column('review_note', sa.String(length=300), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("collected_by IN ('head', 'member', 'alternate')", name=op.f('ck_collections_collected_by')),
    sa.CheckConstraint("review IS NULL OR review IN ('confirmed', 'cleared')", name=op.f('ck_collections_review')),
    sa.CheckConstraint("status IN ('ok', 'double')", name=op.f('ck_collections_status')),
    sa.ForeignKeyConstraint(['alternate_id'], ['alternate_collectors.id'], name=op.f('fk_collections_alternate_id_alternate_collectors')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_collections_household_id_households')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_collections_officer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_collections_reviewed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['round_id'], ['distribution_rounds.id'], name=op.f('fk_collections_round_id_distribution_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections')),
    sa.UniqueConstraint('uid', name=op.f('uq_collections_uid'))
    )
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_collections_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_collections_round_status', ['round_id', 'status'], unique=False)
        batch_op.create_index('uq_collections_round_household_ok', ['round_id', 'household_id'], unique=True, sqlite_where=sa.text("status = 'ok'"), postgresql_where=sa.text("status = 'ok'"))
    with op.batch_alter_table('person_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('thumb', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('person_photos', schema=None) as batch_op:
        batch_op.drop_column('thumb')
    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index('uq_collections_round_household_ok', sqlite_where=sa.text("status = 'ok'"), postgresql_where=sa.text("status = 'ok'"))
        batch_op.drop_index('ix_collections_round_status')
        batch_op.drop_index(batch_op.f('ix_collections_household_id'))

    op.drop_table('collections')
    with op.batch_alter_table('round_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_items_round_id'))

    op.drop_table('round_items')
    with op.batch_alter_table('alternate_collectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alternate_collectors_household_id'))

    op.drop_table('alternate_collectors')
    with op.batch_alter_table('distribution_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distribution_rounds_camp_id'))

    op.drop_table('distribution_rounds')
