"""Sessions and limits: signed-in browsers kept server-side, attempts counted in the database.

``user_sessions`` holds one row per signed-in browser (the digest of the secret in its cookie,
when it signed in, when it ended), so that signing out ends a copied cookie too and a session has
an absolute lifetime. ``rate_limit_hits`` holds counted attempts (sign-in, help-desk tablets) so
that limits hold across the server's worker processes; keys are stored as keyed digests only.

Revision ID: 0008c
Revises: 0007
Create Date: 2026-12-06
"""
from alembic import op
import sqlalchemy as sa


revision = '0008c'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('digest', name=op.f('uq_user_sessions_digest'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('rate_limit_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limit_hits'))
    )
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.create_index('ix_rate_limit_hits_key_at', ['key', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_subject'), ['subject'], unique=False)
        batch_op.create_index(batch_op.f('ix_rate_limit_hits_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rate_limit_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_at'))
        batch_op.drop_index(batch_op.f('ix_rate_limit_hits_subject'))
        batch_op.drop_index('ix_rate_limit_hits_key_at')

    op.drop_table('rate_limit_hits')
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')
