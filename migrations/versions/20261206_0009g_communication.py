"""Communicating with communities: messages, their texts per language, sends, feedback links, notice boards.

Revision ID: 0009g
Revises: 0009e
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0009g'
down_revision = '0009e'
branch_labels = None
depends_on = None


def _user(column: str, table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ['users.id'], name=op.f(f'fk_{table}_{column}_users'),
                                   ondelete='SET NULL')


def upgrade() -> None:
    op.create_table(
        'messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('camp_id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=24), nullable=False),
        sa.Column('title', sa.String(length=120), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('audience', sa.String(length=20), nullable=False),
        sa.Column('audience_ids', sa.String(length=400), nullable=True),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('household_id', sa.Integer(), nullable=True),
        sa.Column('theme', sa.String(length=20), nullable=True),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('approved_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("purpose IN ('distribution', 'camp_rule', 'service_hours', 'health_safety', 'you_said', "
                           "'rumour', 'answer')", name=op.f('ck_messages_purpose')),
        sa.CheckConstraint("audience IN ('camp', 'sectors', 'blocks', 'needs', 'round_not_served', 'household')",
                           name=op.f('ck_messages_audience')),
        sa.CheckConstraint("status IN ('draft', 'approved', 'withdrawn')", name=op.f('ck_messages_status')),
        sa.CheckConstraint("status != 'approved' OR approved_by_id IS NOT NULL",
                           name=op.f('ck_messages_approved_has_approver')),
        sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_messages_camp_id_camps')),
        sa.ForeignKeyConstraint(['round_id'], ['distribution_rounds.id'],
                                name=op.f('fk_messages_round_id_distribution_rounds')),
        sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_messages_household_id_households')),
        _user('created_by_id', 'messages'), _user('updated_by_id', 'messages'), _user('approved_by_id', 'messages'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
        sa.UniqueConstraint('public_id', name=op.f('uq_messages_public_id')),
    )
    op.create_index(op.f('ix_messages_camp_id'), 'messages', ['camp_id'])
    op.create_index(op.f('ix_messages_round_id'), 'messages', ['round_id'])
    op.create_index('ix_messages_board', 'messages', ['camp_id', 'status', 'expires_on'])
    op.create_table(
        'message_texts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_texts_message_id_messages'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_texts')),
        sa.UniqueConstraint('message_id', 'language', name=op.f('uq_message_texts_message_id')),
    )
    op.create_table(
        'message_sends',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=12), nullable=False),
        sa.Column('token', sa.String(length=40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('audience_size', sa.Integer(), nullable=False),
        sa.Column('queued', sa.Integer(), nullable=False),
        sa.Column('skipped', sa.JSON(), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_sends_message_id_messages')),
        _user('sent_by_id', 'message_sends'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_sends')),
        sa.UniqueConstraint('token', name=op.f('uq_message_sends_token')),
    )
    op.create_index(op.f('ix_message_sends_message_id'), 'message_sends', ['message_id'])
    op.create_table(
        'message_cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('linked_by_id', sa.Integer(), nullable=True),
        sa.Column('linked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], name=op.f('fk_message_cases_message_id_messages'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['case_id'], ['feedback_cases.id'], name=op.f('fk_message_cases_case_id_feedback_cases')),
        _user('linked_by_id', 'message_cases'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_cases')),
        sa.UniqueConstraint('message_id', 'case_id', name=op.f('uq_message_cases_message_id')),
    )
    op.create_index(op.f('ix_message_cases_message_id'), 'message_cases', ['message_id'])
    op.create_index(op.f('ix_message_cases_case_id'), 'message_cases', ['case_id'])
    op.create_table(
        'notice_boards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('camp_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('token_digest', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_notice_boards_camp_id_camps')),
        _user('created_by_id', 'notice_boards'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_boards')),
        sa.UniqueConstraint('token_digest', name=op.f('uq_notice_boards_token_digest')),
    )
    op.create_index(op.f('ix_notice_boards_camp_id'), 'notice_boards', ['camp_id'])


def downgrade() -> None:
    op.drop_table('notice_boards')
    op.drop_table('message_cases')
    op.drop_table('message_sends')
    op.drop_table('message_texts')
    op.drop_table('messages')
