"""Foundation: camps, staff accounts and API tokens, the append-only audit log, households.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
)


def _append_only_audit_log() -> None:
    """The database itself refuses to change or remove audit events."""
    for statement in POSTGRES_TRIGGERS if op.get_bind().dialect.name == 'postgresql' else SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.create_table('camps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('region_code', sa.String(length=8), nullable=False),
    sa.Column('district', sa.String(length=120), nullable=True),
    sa.Column('planned_capacity', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('household_counter', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'open', 'closed')", name=op.f('ck_camps_status')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_camps')),
    sa.UniqueConstraint('code', name=op.f('uq_camps_code'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('all_camps', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=32), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('digest', name=op.f('uq_api_tokens_digest'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('camp_id', sa.Integer(), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_audit_events_camp_id_camps'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index('ix_audit_events_object', ['object_type', 'object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_user_id'), ['user_id'], unique=False)

    op.create_table('households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('arrival_date', sa.Date(), nullable=False),
    sa.Column('crossing_point', sa.String(length=8), nullable=True),
    sa.Column('origin_province', sa.String(length=4), nullable=True),
    sa.Column('origin_district', sa.String(length=6), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('active', 'moved', 'departed', 'inactive')", name=op.f('ck_households_status')),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_households_camp_id_camps')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_households_registered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households')),
    sa.UniqueConstraint('number', name=op.f('uq_households_number'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_arrival_date'), ['arrival_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index('ix_households_camp_status', ['camp_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_households_origin_province'), ['origin_province'], unique=False)

    op.create_table('user_camps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_user_camps_camp_id_camps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_camps_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_camps')),
    sa.UniqueConstraint('user_id', 'camp_id', name=op.f('uq_user_camps_user_id'))
    )
    with op.batch_alter_table('user_camps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_camps_camp_id'), ['camp_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_camps_user_id'), ['user_id'], unique=False)

    op.create_table('user_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_roles')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_user_roles_user_id'))
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_roles_user_id'), ['user_id'], unique=False)

    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('given_name', sa.String(length=80), nullable=False),
    sa.Column('given_name_orig', sa.String(length=80), nullable=True),
    sa.Column('father_name', sa.String(length=80), nullable=True),
    sa.Column('father_name_orig', sa.String(length=80), nullable=True),
    sa.Column('grandfather_name', sa.String(length=80), nullable=True),
    sa.Column('grandfather_name_orig', sa.String(length=80), nullable=True),
    sa.Column('family_name', sa.String(length=80), nullable=True),
    sa.Column('family_name_orig', sa.String(length=80), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('birth_precision', sa.String(length=8), nullable=False),
    sa.Column('relation_to_head', sa.String(length=16), nullable=False),
    sa.Column('marital_status', sa.String(length=16), nullable=True),
    sa.Column('nationality', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.CheckConstraint("birth_precision IN ('day', 'month', 'year', 'age')", name=op.f('ck_persons_birth_precision')),
    sa.CheckConstraint("sex IN ('f', 'm')", name=op.f('ck_persons_sex')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_persons_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons')),
    sa.UniqueConstraint('household_id', 'seq', name=op.f('uq_persons_household_id'))
    )
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_household_id'), ['household_id'], unique=False)

    op.create_table('person_needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_person_needs_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_needs')),
    sa.UniqueConstraint('person_id', 'code', name=op.f('uq_person_needs_person_id'))
    )
    with op.batch_alter_table('person_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_needs_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_needs_person_id'), ['person_id'], unique=False)
    _append_only_audit_log()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_events_no_truncate ON audit_events')
        op.execute('DROP TRIGGER audit_events_append_only ON audit_events')
        op.execute('DROP FUNCTION audit_events_append_only()')
    else:
        op.execute('DROP TRIGGER audit_events_no_update')
        op.execute('DROP TRIGGER audit_events_no_delete')
    with op.batch_alter_table('person_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_needs_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_needs_code'))

    op.drop_table('person_needs')
    with op.batch_alter_table('persons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_persons_household_id'))

    op.drop_table('persons')
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_roles_user_id'))

    op.drop_table('user_roles')
    with op.batch_alter_table('user_camps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_camps_user_id'))
        batch_op.drop_index(batch_op.f('ix_user_camps_camp_id'))

    op.drop_table('user_camps')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_origin_province'))
        batch_op.drop_index('ix_households_camp_status')
        batch_op.drop_index(batch_op.f('ix_households_camp_id'))
        batch_op.drop_index(batch_op.f('ix_households_arrival_date'))

    op.drop_table('households')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_user_id'))
        batch_op.drop_index('ix_audit_events_object')
        batch_op.drop_index(batch_op.f('ix_audit_events_camp_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))

    op.drop_table('audit_events')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    op.drop_table('users')
    op.drop_table('camps')
