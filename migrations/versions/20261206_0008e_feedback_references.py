"""Feedback references numbered per camp: a counter per camp for general cases.

Until now a case's reference was its global id (``FB-KHR-000123``), so the gaps between one camp's
references showed where another camp's or a sensitive case had been logged. General cases are now
numbered 1, 2, 3 … in each camp from ``feedback_counters``; sensitive cases get random references.
References already handed out stay as they are (people were told them and the audit log names them):
each camp's counter starts after the highest number its references hold.

Revision ID: 0008e
Revises: 0008c
Create Date: 2026-12-06
"""
import re

from alembic import op
import sqlalchemy as sa


revision = '0008e'
down_revision = '0008c'
branch_labels = None
depends_on = None

NUMBERED = re.compile(r'FB-[A-Z]{3}-(\d+)')


def upgrade() -> None:
    counters = op.create_table(
        'feedback_counters',
        sa.Column('camp_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_feedback_counters_camp_id_camps')),
        sa.PrimaryKeyConstraint('camp_id', name=op.f('pk_feedback_counters')),
    )
    highest: dict[int, int] = {}
    for camp_id, reference in op.get_bind().execute(sa.text('SELECT camp_id, reference FROM feedback_cases')):
        found = NUMBERED.fullmatch(reference or '')
        if found:
            highest[camp_id] = max(highest.get(camp_id, 0), int(found.group(1)))
    if highest:
        op.bulk_insert(counters, [{'camp_id': camp_id, 'last': last} for camp_id, last in sorted(highest.items())])


def downgrade() -> None:
    op.drop_table('feedback_counters')
