"""SMS: households' contact consent, SMS language, do-not-contact and opt-out; the outbox and its parts.

``sms_outbox.message_id`` names the communication message (``messages``) without a foreign key, so the
channel can be exercised and benchmarked on its own.

Revision ID: 0009h
Revises: 0009b
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009h'
down_revision = '0009b'
branch_labels = None
depends_on = None

STATUSES = "status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'opted_out', 'skipped')"


def upgrade() -> None:
    op.add_column('households', sa.Column('sms_consent', sa.Boolean(), nullable=True))
    op.add_column('households', sa.Column('sms_consent_at', sa.DateTime(), nullable=True))
    op.add_column('households', sa.Column('sms_language', sa.String(length=2), nullable=True))
    op.add_column('households', sa.Column('do_not_contact', sa.Boolean(), server_default=sa.text('false'),
                                          nullable=False))
    op.add_column('households', sa.Column('do_not_contact_at', sa.DateTime(), nullable=True))
    op.add_column('households', sa.Column('sms_opted_out_at', sa.DateTime(), nullable=True))
    op.create_table('sms_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=16), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('encoding', sa.String(length=4), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('queued_by_id', sa.Integer(), nullable=True),
    sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('smsc_message_id', sa.String(length=65), nullable=True),
    sa.Column('report_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.String(length=40), nullable=True),
    sa.CheckConstraint(STATUSES, name=op.f('ck_sms_outbox_status')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_sms_outbox_camp_id_camps')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_sms_outbox_household_id_households'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['queued_by_id'], ['users.id'], name=op.f('fk_sms_outbox_queued_by_id_users'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_outbox')),
    sa.UniqueConstraint('message_id', 'household_id', name=op.f('uq_sms_outbox_message_id')),
    )
    op.create_index('ix_sms_outbox_status_due', 'sms_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_index(op.f('ix_sms_outbox_message_id'), 'sms_outbox', ['message_id'], unique=False)
    op.create_index(op.f('ix_sms_outbox_household_id'), 'sms_outbox', ['household_id'], unique=False)
    op.create_index(op.f('ix_sms_outbox_camp_id'), 'sms_outbox', ['camp_id'], unique=False)
    op.create_index(op.f('ix_sms_outbox_smsc_message_id'), 'sms_outbox', ['smsc_message_id'], unique=False)
    op.create_table('sms_parts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('smsc_message_id', sa.String(length=65), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('report_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('sent', 'delivered', 'failed')", name=op.f('ck_sms_parts_status')),
    sa.ForeignKeyConstraint(['outbox_id'], ['sms_outbox.id'], name=op.f('fk_sms_parts_outbox_id_sms_outbox'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_parts')),
    sa.UniqueConstraint('outbox_id', 'seq', name=op.f('uq_sms_parts_outbox_id')),
    )
    op.create_index(op.f('ix_sms_parts_smsc_message_id'), 'sms_parts', ['smsc_message_id'], unique=False)


def downgrade() -> None:
    op.drop_table('sms_parts')
    op.drop_table('sms_outbox')
    # plain DROP COLUMN (SQLite 3.35+): a batch copy of households would lose its figures triggers
    for column in ('sms_opted_out_at', 'do_not_contact_at', 'do_not_contact', 'sms_language', 'sms_consent_at',
                   'sms_consent'):
        op.drop_column('households', column)
