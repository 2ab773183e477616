"""Name search keys, saved searches (POST-redirect-GET) and Latin names marked as suggested.

``person_search_keys`` holds the keys of ``registration.households.search_keys`` (two names, or a family
name with a year), written here for every person already registered. ``saved_searches`` keeps a typed
search for half an hour under an opaque id, so that Back after opening a result shows the results
again. ``persons.latin_suggested`` marks Latin names transliterated on import from the original script.

Revision ID: 0009b
Revises: 0009g
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0009b'
down_revision = '0009g'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.create_table('person_search_keys',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_search_keys_person_id_persons'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', 'person_id', name=op.f('pk_person_search_keys'))
    )
    with op.batch_alter_table('person_search_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_search_keys_person_id'), ['person_id'], unique=False)
    op.create_table('saved_searches',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches'))
    )
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_searches_created_at'), ['created_at'], unique=False)
    # a plain ADD COLUMN: a batch copy of persons would break the figures' triggers on SQLite
    op.add_column('persons', sa.Column('latin_suggested', sa.Boolean(), server_default=sa.text('false'),
                                       nullable=False))
    _write_keys()


def _write_keys() -> None:
    """Keys of the people already registered, a batch at a time."""
    from registration.households.search_keys import Names, rows_for

    connection = op.get_bind()
    persons = sa.table('persons', *(sa.column(c) for c in (
        'id', 'given_name', 'given_name_orig', 'father_name', 'father_name_orig', 'family_name',
        'family_name_orig', 'birth_date')))
    keys = sa.table('person_search_keys', sa.column('person_id'), sa.column('key'))
    last = 0
    while True:
        rows = connection.execute(sa.select(persons).where(persons.c.id > last).order_by(persons.c.id)
                                  .limit(BATCH)).all()
        if not rows:
            return
        batch = []
        for row in rows:
            born = row.birth_date
            year = born.year if hasattr(born, 'year') else int(str(born)[:4])
            batch += rows_for(row.id, Names(row.given_name, row.given_name_orig, row.father_name,
                                            row.father_name_orig, row.family_name, row.family_name_orig, year))
        if batch:
            connection.execute(keys.insert(), batch)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_column('persons', 'latin_suggested')
    with op.batch_alter_table('saved_searches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_searches_created_at'))
    op.drop_table('saved_searches')
    with op.batch_alter_table('person_search_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_search_keys_person_id'))
    op.drop_table('person_search_keys')
