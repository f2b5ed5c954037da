"""linked sections: a LAB or TUTORIAL names its LECTURE; a course may require one

`course_sections.linked_to_section_id` (the lecture a lab or tutorial belongs to) and
`courses.requires_linked_section`. Both are facts the engine caches, so the catalog-version
triggers on those two tables watch the new columns too (see `catalog_version`). The engine also
caches whether a lecture has linked sections at all (a drop looks for the student's linked
places only then), so a new section that names a lecture bumps the stamp as well.

Revision ID: 6b8e2d4f1a73
Revises: 5c1e9a7b3d42
Create Date: 2026-11-30 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b8e2d4f1a73"
down_revision: str | None = "5c1e9a7b3d42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTIONS = ("course_id", "term_id", "section_type", "is_active", "code", "student_batch_id")
COURSES = ("code", "title", "credits", "is_active")
FK_NAME = "fk_course_sections_linked_to_section_id_course_sections"
INDEX_NAME = "ix_course_sections_linked_to_section_id"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("course_sections", sa.Column("linked_to_section_id", sa.Uuid()))
        op.create_foreign_key(
            FK_NAME,
            "course_sections",
            "course_sections",
            ["linked_to_section_id"],
            ["id"],
            ondelete="SET NULL",
        )
    else:
        # SQLite rebuilds the table to add a named reference, and a rebuild drops the table's
        # triggers: the catalog-version ones are made again below.
        with op.batch_alter_table("course_sections", recreate="always") as batch:
            batch.add_column(sa.Column("linked_to_section_id", sa.Uuid()))
            batch.create_foreign_key(
                FK_NAME, "course_sections", ["linked_to_section_id"], ["id"], ondelete="SET NULL"
            )
        _sqlite_deleted_trigger("course_sections")
    op.create_index(INDEX_NAME, "course_sections", ["linked_to_section_id"])
    op.add_column(
        "courses",
        sa.Column(
            "requires_linked_section", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )
    _watch("course_sections", (*SECTIONS, "linked_to_section_id"))
    _watch("courses", (*COURSES, "requires_linked_section"))
    _linked_inserts(create=True)


def downgrade() -> None:
    _linked_inserts(create=False)
    _watch("courses", COURSES)
    _watch("course_sections", SECTIONS)
    with op.batch_alter_table("courses") as batch:
        batch.drop_column("requires_linked_section")
    op.drop_index(INDEX_NAME, table_name="course_sections")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FK_NAME, "course_sections", type_="foreignkey")
        op.drop_column("course_sections", "linked_to_section_id")
        return
    with op.batch_alter_table("course_sections", recreate="always") as batch:
        batch.drop_constraint(FK_NAME, type_="foreignkey")
        batch.drop_column("linked_to_section_id")
    _watch("course_sections", SECTIONS)
    _sqlite_deleted_trigger("course_sections")


def _watch(table: str, columns: tuple[str, ...]) -> None:
    """The catalog-version trigger on updates of `table`, watching these columns."""
    watched = ", ".join(columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS catalog_row_changed ON {table}")
        op.execute(
            f"CREATE TRIGGER catalog_row_changed AFTER UPDATE OF {watched} OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION registrar_catalog_row_changed()"
        )
        return
    op.execute(f"DROP TRIGGER IF EXISTS catalog_{table}_updated")
    op.execute(
        f"CREATE TRIGGER catalog_{table}_updated AFTER UPDATE OF {watched} ON {table} "
        "FOR EACH ROW BEGIN UPDATE institutions SET catalog_version = random() "
        "WHERE id = NEW.institution_id; END"
    )


def _sqlite_deleted_trigger(table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS catalog_{table}_deleted")
    op.execute(
        f"CREATE TRIGGER catalog_{table}_deleted AFTER DELETE ON {table} FOR EACH ROW "
        "BEGIN UPDATE institutions SET catalog_version = random() "
        "WHERE id = OLD.institution_id; END"
    )


def _linked_inserts(*, create: bool) -> None:
    """The stamp moves when new sections name a lecture (once per statement on PostgreSQL)."""
    if op.get_bind().dialect.name == "postgresql":
        if not create:
            op.execute("DROP TRIGGER IF EXISTS catalog_linked_inserted ON course_sections")
            op.execute("DROP FUNCTION IF EXISTS registrar_catalog_linked_inserted()")
            return
        op.execute(
            """
            CREATE FUNCTION registrar_catalog_linked_inserted() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE institutions SET catalog_version = floor(random() * 9007199254740991)::bigint
                WHERE id IN (SELECT DISTINCT institution_id FROM inserted
                             WHERE linked_to_section_id IS NOT NULL);
                RETURN NULL;
            END $$
            """
        )
        op.execute(
            """
            CREATE TRIGGER catalog_linked_inserted AFTER INSERT ON course_sections
            REFERENCING NEW TABLE AS inserted
            FOR EACH STATEMENT EXECUTE FUNCTION registrar_catalog_linked_inserted()
            """
        )
        return
    op.execute("DROP TRIGGER IF EXISTS catalog_course_sections_linked_inserted")
    if create:
        op.execute(
            "CREATE TRIGGER catalog_course_sections_linked_inserted AFTER INSERT ON course_sections "
            "FOR EACH ROW WHEN NEW.linked_to_section_id IS NOT NULL "
            "BEGIN UPDATE institutions SET catalog_version = random() "
            "WHERE id = NEW.institution_id; END"
        )
