"""Registration desk: consent, languages, idempotent saves, tazkira, photos, blocking keys, duplicate pairs,
uploaded pre-registration lists.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('list_name', sa.String(length=80), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('households_ok', sa.Integer(), nullable=False),
    sa.Column('problems', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('validated', 'importing', 'done', 'failed')", name=op.f('ck_import_batches_status')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_import_batches_camp_id_camps')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_import_batches_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_camp_id'), ['camp_id'], unique=False)

    op.create_table('duplicate_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_a_id', sa.Integer(), nullable=False),
    sa.Column('person_b_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('found_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'different', 'merged')", name=op.f('ck_duplicate_pairs_status')),
    sa.CheckConstraint('person_a_id < person_b_id', name=op.f('ck_duplicate_pairs_ordered')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_duplicate_pairs_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_a_id'], ['persons.id'], name=op.f('fk_duplicate_pairs_person_a_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_b_id'], ['persons.id'], name=op.f('fk_duplicate_pairs_person_b_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_pairs')),
    sa.UniqueConstraint('person_a_id', 'person_b_id', name=op.f('uq_duplicate_pairs_person_a_id'))
    )
    with op.batch_alter_table('duplicate_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_pairs_person_a_id'), ['person_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_pairs_person_b_id'), ['person_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_duplicate_pairs_status'), ['status'], unique=False)

    op.create_table('person_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=48), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_keys_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_keys')),
    sa.UniqueConstraint('person_id', 'key', name=op.f('uq_person_keys_person_id'))
    )
    with op.batch_alter_table('person_keys', schema=None) as batch_op:
        batch_op.create_index('ix_person_keys_key', ['key'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_keys_person_id'), ['person_id'], unique=False)

    op.create_table('person_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('jpeg', sa.LargeBinary(), nullable=False),
    sa.Column('taken_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_photos_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_photos')),
    sa.UniqueConstraint('person_id', name=op.f('uq_person_photos_person_id'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_digits', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('languages', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('consent', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('consent_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('registration_token', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('source_list', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_households_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_households_registration_token'), ['registration_token'])
        batch_op.create_foreign_key(batch_op.f('fk_households_consent_by_id_users'), 'users', ['consent_by_id'], ['id'], ondelete='SET NULL')
        # pre-registered households wait at 'pending' until the desk finishes them
        batch_op.drop_constraint(op.f('ck_households_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('pending', 'active', 'moved', 'departed', 'inactive')")

    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tazkira', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('status_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('registered_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_persons_source_ref'), ['source_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_persons_tazkira'), ['tazkira'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_persons_merged_into_id_persons'), 'persons', ['merged_into_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('status', "status IN ('active', 'departed', 'deceased', 'moved', 'merged')")



def downgrade() -> None:
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_persons_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_persons_merged_into_id_persons'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_persons_tazkira'))
        batch_op.drop_index(batch_op.f('ix_persons_source_ref'))
        batch_op.drop_column('registered_at')
        batch_op.drop_column('source_ref')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('status_date')
        batch_op.drop_column('tazkira')

    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_households_status'), type_='check')
        batch_op.create_check_constraint('status', "status IN ('active', 'moved', 'departed', 'inactive')")
        batch_op.drop_constraint(batch_op.f('fk_households_consent_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_households_registration_token'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_households_phone_digits'))
        batch_op.drop_column('source_list')
        batch_op.drop_column('registration_token')
        batch_op.drop_column('consent_by_id')
        batch_op.drop_column('consent_at')
        batch_op.drop_column('consent')
        batch_op.drop_column('languages')
        batch_op.drop_column('phone_digits')

    op.drop_table('person_photos')
    with op.batch_alter_table('person_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_keys_person_id'))
        batch_op.drop_index('ix_person_keys_key')

    op.drop_table('person_keys')
    with op.batch_alter_table('duplicate_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_pairs_status'))
        batch_op.drop_index(batch_op.f('ix_duplicate_pairs_person_b_id'))
        batch_op.drop_index(batch_op.f('ix_duplicate_pairs_person_a_id'))

    op.drop_table('duplicate_pairs')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_camp_id'))
    op.drop_table('import_batches')
