"""catalog version: a stamp each institution's catalog facts change under

Every API worker keeps the catalog facts a registration reads (a section's course, credits,
prerequisites, term window and timetable; the institution's credit limits and grade scale) in
memory. `institutions.catalog_version` tells it when they are stale: the database itself gives
it a new random value whenever one of those facts changes, whoever changes it (the API, an
import, SQL by hand). A random value, not a counter: a stamp written by a transaction that
rolled back must never come back.

PostgreSQL: updates and deletes bump per row (a registrar edits a few rows at a time); inserts
into the timetable and the prerequisites bump once per statement, so a bulk import does not
update the same institution row thousands of times in one transaction. SQLite: per row.

A SQLite batch migration that rebuilds one of these tables drops its triggers: such a migration
must create them again (`_sqlite_triggers` below lists them).

Revision ID: 7d2f4c1b9e05
Revises: 253a3c8c1ac0
Create Date: 2026-11-30 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d2f4c1b9e05"
down_revision: str | None = "253a3c8c1ac0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, the columns whose change makes cached facts stale; None: any change)
WATCHED: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    (
        "course_sections",
        ("course_id", "term_id", "section_type", "is_active", "code", "student_batch_id"),
    ),
    ("courses", ("code", "title", "credits", "is_active")),
    (
        "terms",
        (
            "registration_start",
            "registration_end",
            "drop_deadline",
            "min_credits",
            "max_credits",
            "is_active",
        ),
    ),
    ("timetable_slots", None),
    ("course_prerequisites", None),
)
POLICY = ("min_credits", "max_credits", "grade_scale", "gpa_scale_max", "passing_grade_points")
# Tables whose inserts matter: a new slot or prerequisite changes a section already cached. A
# new section, course or term is not cached anywhere yet.
INSERTS_MATTER = ("timetable_slots", "course_prerequisites")

PG_NEW_STAMP = "floor(random() * 9007199254740991)::bigint"
SQLITE_NEW_STAMP = "random()"


def upgrade() -> None:
    op.add_column(
        "institutions",
        sa.Column("catalog_version", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _postgres_triggers():
            op.execute(statement)
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _columns in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS catalog_row_changed ON {table}")
        for table in INSERTS_MATTER:
            op.execute(f"DROP TRIGGER IF EXISTS catalog_rows_inserted ON {table}")
        op.execute("DROP TRIGGER IF EXISTS catalog_policy_changed ON institutions")
        op.execute("DROP FUNCTION IF EXISTS registrar_catalog_row_changed()")
        op.execute("DROP FUNCTION IF EXISTS registrar_catalog_rows_inserted()")
        op.execute("DROP FUNCTION IF EXISTS registrar_catalog_policy_changed()")
    else:
        for name in _sqlite_trigger_names():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("institutions") as batch:
        batch.drop_column("catalog_version")


def _postgres_triggers() -> list[str]:
    statements = [
        f"""
        CREATE FUNCTION registrar_catalog_row_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE institutions SET catalog_version = {PG_NEW_STAMP}
            WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.institution_id
                            ELSE NEW.institution_id END;
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE FUNCTION registrar_catalog_rows_inserted() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE institutions SET catalog_version = {PG_NEW_STAMP}
            WHERE id IN (SELECT DISTINCT institution_id FROM inserted);
            RETURN NULL;
        END $$
        """,
        f"""
        CREATE FUNCTION registrar_catalog_policy_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.catalog_version := {PG_NEW_STAMP};
            RETURN NEW;
        END $$
        """,
        f"""
        CREATE TRIGGER catalog_policy_changed BEFORE UPDATE OF {", ".join(POLICY)}
        ON institutions FOR EACH ROW EXECUTE FUNCTION registrar_catalog_policy_changed()
        """,
    ]
    for table, columns in WATCHED:
        events = "UPDATE OF " + ", ".join(columns) if columns else "UPDATE"
        statements.append(
            f"""
            CREATE TRIGGER catalog_row_changed AFTER {events} OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION registrar_catalog_row_changed()
            """
        )
    for table in INSERTS_MATTER:
        statements.append(
            f"""
            CREATE TRIGGER catalog_rows_inserted AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION registrar_catalog_rows_inserted()
            """
        )
    return statements


def _sqlite_trigger_names() -> list[str]:
    names = ["catalog_policy_changed"]
    for table, _columns in WATCHED:
        names += [f"catalog_{table}_updated", f"catalog_{table}_deleted"]
    names += [f"catalog_{table}_inserted" for table in INSERTS_MATTER]
    return names


def _sqlite_triggers() -> list[str]:
    bump = f"UPDATE institutions SET catalog_version = {SQLITE_NEW_STAMP} WHERE id ="
    statements = [
        f"""
        CREATE TRIGGER catalog_policy_changed AFTER UPDATE OF {", ".join(POLICY)}
        ON institutions FOR EACH ROW
        BEGIN {bump} NEW.id; END
        """
    ]
    for table, columns in WATCHED:
        update_of = "UPDATE OF " + ", ".join(columns) if columns else "UPDATE"
        statements += [
            f"""
            CREATE TRIGGER catalog_{table}_updated AFTER {update_of} ON {table} FOR EACH ROW
            BEGIN {bump} NEW.institution_id; END
            """,
            f"""
            CREATE TRIGGER catalog_{table}_deleted AFTER DELETE ON {table} FOR EACH ROW
            BEGIN {bump} OLD.institution_id; END
            """,
        ]
    for table in INSERTS_MATTER:
        statements.append(
            f"""
            CREATE TRIGGER catalog_{table}_inserted AFTER INSERT ON {table} FOR EACH ROW
            BEGIN {bump} NEW.institution_id; END
            """
        )
    return statements
