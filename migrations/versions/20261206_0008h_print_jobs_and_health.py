"""Card print jobs in the database; a row the health check writes.

``print_jobs`` replaces the queue each server process kept in its own memory (with several
workers, a poll reaching another process found no job). ``health_checks`` holds one row that
``/healthz`` updates, so that health means a write was really made.

Revision ID: 0008h
Revises: 0008e
Create Date: 2026-12-06
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa


revision = '0008h'
down_revision = '0008e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('camp_id', sa.Integer(), nullable=True),
    sa.Column('household_ids', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('collected_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.String(length=200), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_print_jobs_status')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_print_jobs_camp_id_camps')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_print_jobs_requested_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_jobs_requested_by_id'), ['requested_by_id'], unique=False)

    health = op.create_table('health_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_checks'))
    )
    op.bulk_insert(health, [{'id': 1, 'checked_at': datetime(2026, 12, 6)}])


def downgrade() -> None:
    op.drop_table('health_checks')
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_print_jobs_requested_by_id'))
    op.drop_table('print_jobs')
