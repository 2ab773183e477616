"""Figures and data subjects: live population counts, figure indexes, retention dates.

``population_counts`` (counted people by camp, sex and date of birth) and ``need_counts`` (their
specific needs by camp and code) are kept in step by triggers on persons, person_needs and
households, so the dashboard reads a few thousand rows instead of every person. Counted means an
active person of an active household. A batch migration that rebuilds one of those tables on SQLite
must create its triggers again. On PostgreSQL each trigger first takes a transaction advisory lock
per camp, so that two desks updating the same count rows queue instead of deadlocking.

households.status_date starts a departed household's retention period; anonymised_at records when
its names, photos, phone and tazkira were removed; arrival_size keeps how many people arrived with
it, so that arrival figures do not change when members later leave, move or split off.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

COUNTED_PEOPLE = """
    SELECT h.camp_id, p.sex, p.birth_date, count(*) AS n FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.status = 'active' AND h.status = 'active' GROUP BY h.camp_id, p.sex, p.birth_date"""
COUNTED_NEEDS = """
    SELECT h.camp_id, pn.code, count(*) AS n FROM person_needs pn JOIN persons p ON p.id = pn.person_id
    JOIN households h ON h.id = p.household_id
    WHERE p.status = 'active' AND h.status = 'active' GROUP BY h.camp_id, pn.code"""

# The upserts below add a signed amount; ``sign`` is 1 or -1 and ``hh``/``pp`` are the OLD or NEW rows.
_PEOPLE_OF_PERSON = """INSERT INTO population_counts (camp_id, sex, birth_date, n)
    SELECT h.camp_id, {pp}.sex, {pp}.birth_date, {sign} FROM households h
    WHERE h.id = {pp}.household_id AND h.status = 'active' AND {pp}.status = 'active'
    ON CONFLICT (camp_id, sex, birth_date) DO UPDATE SET n = population_counts.n + excluded.n;"""
_NEEDS_OF_PERSON = """INSERT INTO need_counts (camp_id, code, n)
    SELECT h.camp_id, pn.code, {sign} FROM households h JOIN person_needs pn ON pn.person_id = {pp}.id
    WHERE h.id = {pp}.household_id AND h.status = 'active' AND {pp}.status = 'active'
    ON CONFLICT (camp_id, code) DO UPDATE SET n = need_counts.n + excluded.n;"""
_NEED = """INSERT INTO need_counts (camp_id, code, n)
    SELECT h.camp_id, {nn}.code, {sign} FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.id = {nn}.person_id AND p.status = 'active' AND h.status = 'active'
    ON CONFLICT (camp_id, code) DO UPDATE SET n = need_counts.n + excluded.n;"""
_PEOPLE_OF_HOUSEHOLD = """INSERT INTO population_counts (camp_id, sex, birth_date, n)
    SELECT {hh}.camp_id, p.sex, p.birth_date, {sign} * count(*) FROM persons p
    WHERE p.household_id = {hh}.id AND {hh}.status = 'active' AND p.status = 'active' GROUP BY p.sex, p.birth_date
    ON CONFLICT (camp_id, sex, birth_date) DO UPDATE SET n = population_counts.n + excluded.n;"""
_NEEDS_OF_HOUSEHOLD = """INSERT INTO need_counts (camp_id, code, n)
    SELECT {hh}.camp_id, pn.code, {sign} * count(*) FROM persons p JOIN person_needs pn ON pn.person_id = p.id
    WHERE p.household_id = {hh}.id AND {hh}.status = 'active' AND p.status = 'active' GROUP BY pn.code
    ON CONFLICT (camp_id, code) DO UPDATE SET n = need_counts.n + excluded.n;"""

PERSON_LEAVES = _PEOPLE_OF_PERSON.format(pp='OLD', sign=-1) + _NEEDS_OF_PERSON.format(pp='OLD', sign=-1)
PERSON_COMES = _PEOPLE_OF_PERSON.format(pp='NEW', sign=1) + _NEEDS_OF_PERSON.format(pp='NEW', sign=1)
HOUSEHOLD_LEAVES = _PEOPLE_OF_HOUSEHOLD.format(hh='OLD', sign=-1) + _NEEDS_OF_HOUSEHOLD.format(hh='OLD', sign=-1)
HOUSEHOLD_COMES = _PEOPLE_OF_HOUSEHOLD.format(hh='NEW', sign=1) + _NEEDS_OF_HOUSEHOLD.format(hh='NEW', sign=1)
PERSON_CHANGED = 'OLD.status, OLD.sex, OLD.birth_date, OLD.household_id'
HOUSEHOLD_CHANGED = "(OLD.status = 'active') <> (NEW.status = 'active') OR OLD.camp_id <> NEW.camp_id"

SQLITE_TRIGGERS = {
    'figures_person_insert': f'AFTER INSERT ON persons BEGIN {PERSON_COMES} END',
    'figures_person_delete': f'AFTER DELETE ON persons BEGIN {PERSON_LEAVES} END',
    'figures_person_update': f"""AFTER UPDATE OF status, sex, birth_date, household_id ON persons
        WHEN ({PERSON_CHANGED}) IS NOT (NEW.status, NEW.sex, NEW.birth_date, NEW.household_id)
        BEGIN {PERSON_LEAVES} {PERSON_COMES} END""",
    'figures_need_insert': f'AFTER INSERT ON person_needs BEGIN {_NEED.format(nn="NEW", sign=1)} END',
    'figures_need_delete': f'AFTER DELETE ON person_needs BEGIN {_NEED.format(nn="OLD", sign=-1)} END',
    'figures_need_update': f"""AFTER UPDATE OF code, person_id ON person_needs
        BEGIN {_NEED.format(nn="OLD", sign=-1)} {_NEED.format(nn="NEW", sign=1)} END""",
    'figures_household_update': f"""AFTER UPDATE OF status, camp_id ON households WHEN {HOUSEHOLD_CHANGED}
        BEGIN {HOUSEHOLD_LEAVES} {HOUSEHOLD_COMES} END""",
}

#: the camp lock (see the docstring): 7007 is this migration's namespace for advisory locks
_LOCK = 'PERFORM pg_advisory_xact_lock(7007, (SELECT camp_id FROM households WHERE id = {household}));'
POSTGRES_FUNCTIONS = {
    # a person moved between camps locks both camps, the lower id first, as the household trigger does
    'figures_person': f"""DECLARE old_camp integer; new_camp integer; BEGIN
        IF TG_OP <> 'INSERT' THEN SELECT camp_id INTO old_camp FROM households WHERE id = OLD.household_id; END IF;
        IF TG_OP <> 'DELETE' THEN SELECT camp_id INTO new_camp FROM households WHERE id = NEW.household_id; END IF;
        PERFORM pg_advisory_xact_lock(7007, least(old_camp, new_camp));
        PERFORM pg_advisory_xact_lock(7007, greatest(old_camp, new_camp));
        IF TG_OP IN ('UPDATE', 'DELETE') THEN {PERSON_LEAVES} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN {PERSON_COMES} END IF;
        RETURN NULL; END""",
    'figures_need': f"""BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {_LOCK.format(household='(SELECT household_id FROM persons WHERE id = OLD.person_id)')}
            {_NEED.format(nn='OLD', sign=-1)} END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            {_LOCK.format(household='(SELECT household_id FROM persons WHERE id = NEW.person_id)')}
            {_NEED.format(nn='NEW', sign=1)} END IF;
        RETURN NULL; END""",
    'figures_household': f"""BEGIN
        PERFORM pg_advisory_xact_lock(7007, least(OLD.camp_id, NEW.camp_id));
        PERFORM pg_advisory_xact_lock(7007, greatest(OLD.camp_id, NEW.camp_id));
        {HOUSEHOLD_LEAVES} {HOUSEHOLD_COMES} RETURN NULL; END""",
}
POSTGRES_TRIGGERS = {
    'figures_person': f"""AFTER INSERT OR DELETE OR UPDATE OF status, sex, birth_date, household_id ON persons
        FOR EACH ROW EXECUTE FUNCTION figures_person()""",
    'figures_need': 'AFTER INSERT OR DELETE OR UPDATE OF code, person_id ON person_needs FOR EACH ROW '
                    'EXECUTE FUNCTION figures_need()',
    'figures_household': f"""AFTER UPDATE OF status, camp_id ON households FOR EACH ROW
        WHEN ({HOUSEHOLD_CHANGED}) EXECUTE FUNCTION figures_household()""",
}


def upgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('arrival_size', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.drop_index('ix_households_camp_status')
        batch_op.create_index('ix_households_camp_status', ['camp_id', 'status', 'size'], unique=False)
        batch_op.create_index('ix_households_camp_arrival', ['camp_id', 'arrival_date', 'status', 'arrival_size'],
                                unique=False)
    # households saved before this revision: their members then are the best account of who arrived
    op.execute('UPDATE households SET arrival_size = size')
    op.create_table('population_counts',
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_population_counts_camp_id_camps')),
    sa.PrimaryKeyConstraint('camp_id', 'sex', 'birth_date', name=op.f('pk_population_counts')),
    sqlite_with_rowid=False
    )
    op.create_table('need_counts',
    sa.Column('camp_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['camp_id'], ['camps.id'], name=op.f('fk_need_counts_camp_id_camps')),
    sa.PrimaryKeyConstraint('camp_id', 'code', name=op.f('pk_need_counts')),
    sqlite_with_rowid=False
    )
    op.execute(f'INSERT INTO population_counts (camp_id, sex, birth_date, n) {COUNTED_PEOPLE}')
    op.execute(f'INSERT INTO need_counts (camp_id, code, n) {COUNTED_NEEDS}')
    if op.get_bind().dialect.name == 'postgresql':
        for name, body in POSTGRES_FUNCTIONS.items():
            op.execute(f'CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$')
        for name, definition in POSTGRES_TRIGGERS.items():
            op.execute(f'CREATE TRIGGER {name} {definition}')
    else:
        for name, definition in SQLITE_TRIGGERS.items():
            op.execute(f'CREATE TRIGGER {name} {definition}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for name, table in (('figures_person', 'persons'), ('figures_need', 'person_needs'),
                            ('figures_household', 'households')):
            op.execute(f'DROP TRIGGER {name} ON {table}')
            op.execute(f'DROP FUNCTION {name}()')
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f'DROP TRIGGER {name}')
    op.drop_table('need_counts')
    op.drop_table('population_counts')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_camp_arrival')
        batch_op.drop_index('ix_households_camp_status')
        batch_op.create_index('ix_households_camp_status', ['camp_id', 'status'], unique=False)
        batch_op.drop_column('arrival_size')
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('status_date')
