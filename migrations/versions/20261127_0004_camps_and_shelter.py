"""Camps and shelter: sectors, blocks, plots, facilities and the allocation history.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_sectors_camp_id_camps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sectors')),
    sa.UniqueConstraint('camp_id', 'code', name=op.f('uq_sectors_camp_id'))
    )
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sectors_camp_id'), ['camp_id'], unique=False)

    op.create_table('blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('area_m2', sa.Float(), nullable=True),
    sa.Column('x', sa.Float(), nullable=True),
    sa.Column('y', sa.Float(), nullable=True),
    sa.Column('width', sa.Float(), nullable=True),
    sa.Column('depth', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_blocks_camp_id_camps')),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_blocks_sector_id_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blocks')),
    sa.UniqueConstraint('camp_id', 'code', name=op.f('uq_blocks_camp_id'))
    )
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blocks_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blocks_sector_id'), ['sector_id'], unique=False)

    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('in_service', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('water_point', 'latrine_block', 'health_post', 'distribution_point', 'help_desk', 'school')", name=op.f('ck_facilities_kind')),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_facilities_capacity_not_negative')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_facilities_block_id_blocks')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_facilities_camp_id_camps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('camp_id', 'code', name=op.f('uq_facilities_camp_id'))
    )
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilities_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_facilities_camp_id'), ['camp_id'], unique=False)

    op.create_table('plots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('block_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=24), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('area_m2', sa.Float(), nullable=False),
    sa.Column('covered_m2', sa.Float(), nullable=False),
    sa.Column('shelter_type', sa.String(length=16), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('household_count', sa.Integer(), nullable=False),
    sa.Column('features', sa.String(length=120), nullable=False),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('width', sa.Float(), nullable=False),
    sa.Column('depth', sa.Float(), nullable=False),
    sa.Column('outline', sa.Text(), nullable=True),
    sa.Column('water_m', sa.Float(), nullable=True),
    sa.Column('latrine_m', sa.Float(), nullable=True),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('vacant', 'reserved', 'occupied', 'out_of_use')", name=op.f('ck_plots_status')),
    sa.CheckConstraint('area_m2 > 0', name=op.f('ck_plots_area_positive')),
    sa.CheckConstraint('capacity >= 1', name=op.f('ck_plots_capacity_positive')),
    sa.CheckConstraint('covered_m2 >= 0 AND covered_m2 <= area_m2', name=op.f('ck_plots_covered_within_area')),
    sa.CheckConstraint('household_count >= 0 AND household_count <= capacity', name=op.f('ck_plots_within_capacity')),
    sa.ForeignKeyConstraint(['block_id'], ['blocks.id'], name=op.f('fk_plots_block_id_blocks')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_plots_camp_id_camps')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plots')),
    sa.UniqueConstraint('camp_id', 'code', name=op.f('uq_plots_camp_id'))
    )
    with op.batch_alter_table('plots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plots_block_id'), ['block_id'], unique=False)
        batch_op.create_index('ix_plots_camp_status', ['camp_id', 'status'], unique=False)

    op.create_table('plot_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('plot_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.String(length=12), nullable=True),
    sa.Column('override_reason', sa.String(length=300), nullable=True),
    sa.Column('warnings', sa.String(length=120), nullable=False),
    sa.CheckConstraint("end_reason IS NULL OR end_reason IN ('relocated', 'vacated', 'departed', 'transferred', 'inactive', 'merged')", name=op.f('ck_plot_allocations_end_reason')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_plot_allocations_camp_id_camps')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_plot_allocations_ended_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_plot_allocations_household_id_households')),
    sa.ForeignKeyConstraint(['plot_id'], ['plots.id'], name=op.f('fk_plot_allocations_plot_id_plots')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_plot_allocations_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plot_allocations'))
    )
    with op.batch_alter_table('plot_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plot_allocations_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plot_allocations_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_plot_allocations_plot_current', ['plot_id', 'ended_at'], unique=False)
        batch_op.create_index('uq_plot_allocations_current_household', ['household_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    with op.batch_alter_table('camps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('climate', sa.String(length=12), server_default='temperate', nullable=False))
        batch_op.add_column(sa.Column('site_area_m2', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('origin_lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('origin_lon', sa.Float(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_camps_climate'), "climate IN ('temperate', 'cold')")



def downgrade() -> None:
    with op.batch_alter_table('camps', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_camps_climate'), type_='check')
        batch_op.drop_column('origin_lon')
        batch_op.drop_column('origin_lat')
        batch_op.drop_column('site_area_m2')
        batch_op.drop_column('climate')

    with op.batch_alter_table('plot_allocations', schema=None) as batch_op:
        batch_op.drop_index('uq_plot_allocations_current_household', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.drop_index('ix_plot_allocations_plot_current')
        batch_op.drop_index(batch_op.f('ix_plot_allocations_household_id'))
        batch_op.drop_index(batch_op.f('ix_plot_allocations_camp_id'))

    op.drop_table('plot_allocations')
    with op.batch_alter_table('plots', schema=None) as batch_op:
        batch_op.drop_index('ix_plots_camp_status')
        batch_op.drop_index(batch_op.f('ix_plots_block_id'))

    op.drop_table('plots')
    with op.batch_alter_table('facilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilities_camp_id'))
        batch_op.drop_index(batch_op.f('ix_facilities_block_id'))

    op.drop_table('facilities')
    with op.batch_alter_table('blocks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blocks_sector_id'))
        batch_op.drop_index(batch_op.f('ix_blocks_camp_id'))

    op.drop_table('blocks')
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sectors_camp_id'))

    op.drop_table('sectors')
