"""Feedback and complaints: cases, their history, and help-desk kiosks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kiosks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_kiosks_camp_id_camps')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_kiosks_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_kiosks_token_digest'))
    )
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosks_camp_id'), ['camp_id'], unique=False)

    op.create_table('feedback_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('sensitive_category', sa.String(length=20), nullable=True),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=4), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('referred_to', sa.String(length=120), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('communicated_at', sa.DateTime(), nullable=True),
    sa.Column('communicated_how', sa.String(length=120), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(type = 'sensitive') = (sensitive_category IS NOT NULL)", name=op.f('ck_feedback_cases_sensitive_has_category')),
    sa.CheckConstraint("status IN ('new', 'acknowledged', 'in_progress', 'referred', 'responded', 'closed')", name=op.f('ck_feedback_cases_status')),
    sa.CheckConstraint("type IN ('information_request', 'assistance_request', 'suggestion', 'appreciation', 'complaint', 'sensitive', 'rumour')", name=op.f('ck_feedback_cases_type')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_feedback_cases_camp_id_camps')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_feedback_cases_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_feedback_cases_household_id_households')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_feedback_cases_kiosk_id_kiosks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_feedback_cases_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_feedback_cases_person_id_persons')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_cases')),
    sa.UniqueConstraint('reference', name=op.f('uq_feedback_cases_reference'))
    )
    with op.batch_alter_table('feedback_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_cases_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index('ix_feedback_cases_due', ['status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_cases_household_id'), ['household_id'], unique=False)
        batch_op.create_index('ix_feedback_cases_list', ['camp_id', 'sensitive', 'status', 'received_on', 'due_at'],
                              unique=False)
        batch_op.create_index('ix_feedback_cases_figures',
                              ['sensitive', 'type', 'sector', 'channel', 'received_on', 'camp_id'], unique=False)
        batch_op.create_index('ix_feedback_cases_response',
                              ['sensitive', 'responded_at', 'due_at', 'created_at', 'camp_id'], unique=False)

    op.create_table('feedback_case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_feedback_case_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['feedback_cases.id'], name=op.f('fk_feedback_case_events_case_id_feedback_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback_case_events'))
    )
    with op.batch_alter_table('feedback_case_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_case_events_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('feedback_case_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_case_events_case_id'))

    op.drop_table('feedback_case_events')
    with op.batch_alter_table('feedback_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_cases_response')
        batch_op.drop_index('ix_feedback_cases_figures')
        batch_op.drop_index('ix_feedback_cases_list')
        batch_op.drop_index(batch_op.f('ix_feedback_cases_household_id'))
        batch_op.drop_index('ix_feedback_cases_due')
        batch_op.drop_index(batch_op.f('ix_feedback_cases_camp_id'))

    op.drop_table('feedback_cases')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosks_camp_id'))

    op.drop_table('kiosks')
