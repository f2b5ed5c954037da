"""enrollment's batch course: which batch course put a student in a section

`enrollments.batch_course_id` (None: the student's own choice). A batch is a subscription: a
student who leaves it, or a batch course cancelled, loses only the linked enrollments, and
individual electives stay. Rows a batch course enrolled before this column existed are linked
from the note the enrollment was written with (`Batch course <course> of <batch>`).

Revision ID: 515802d05ea6
Revises: 6b8e2d4f1a73
Create Date: 2026-11-30 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "515802d05ea6"
down_revision: str | None = "6b8e2d4f1a73"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FK_NAME = "fk_enrollments_batch_course_id_batch_courses"
INDEX_NAME = "ix_enrollments_batch_course_id"

# The batch course of the same course, of the batch the note names (the latest if the course
# was assigned to that batch more than once).
BACKFILL = """
UPDATE enrollments SET batch_course_id = (
    SELECT bc.id FROM batch_courses bc
    JOIN courses c ON c.id = bc.course_id
    JOIN student_batches b ON b.id = bc.batch_id
    JOIN course_sections cs ON cs.id = enrollments.section_id
    WHERE cs.course_id = bc.course_id
      AND enrollments.notes = 'Batch course ' || c.code || ' of ' || b.code
    ORDER BY bc.created_at DESC
    LIMIT 1
)
WHERE notes LIKE 'Batch course % of %'
"""


def upgrade() -> None:
    column = sa.Column("batch_course_id", sa.Uuid(), nullable=True)
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("enrollments", column)
        op.create_foreign_key(
            FK_NAME,
            "enrollments",
            "batch_courses",
            ["batch_course_id"],
            ["id"],
            ondelete="SET NULL",
        )
    else:
        # SQLite rebuilds the table to add a named reference (enrollments have no triggers).
        with op.batch_alter_table("enrollments", recreate="always") as batch:
            batch.add_column(column)
            batch.create_foreign_key(
                FK_NAME, "batch_courses", ["batch_course_id"], ["id"], ondelete="SET NULL"
            )
    op.create_index(INDEX_NAME, "enrollments", ["batch_course_id"])
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index(INDEX_NAME, table_name="enrollments")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FK_NAME, "enrollments", type_="foreignkey")
        op.drop_column("enrollments", "batch_course_id")
        return
    with op.batch_alter_table("enrollments", recreate="always") as batch:
        batch.drop_constraint(FK_NAME, type_="foreignkey")
        batch.drop_column("batch_course_id")
