"""waitlist offers: a seat that opens may be offered to the head of the list, not given

`institutions.waitlist_mode` (AUTO_ENROLL, today's behaviour, or OFFER) and `offer_hours`, which
a section may override (`course_sections.waitlist_mode`, `offer_hours`, null: the institution's).
An enrollment may be `OFFERED`, holding its seat until `offer_expires_at`. The engine caches
the modes, so the catalog-version triggers on institutions and sections watch them too.

Revision ID: 8c3f5a9d2e61
Revises: 515802d05ea6
Create Date: 2026-11-30 22:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8c3f5a9d2e61"
down_revision: str | None = "515802d05ea6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = ("ENROLLED", "WAITLISTED", "DROPPED", "WITHDRAWN", "COMPLETED", "PENDING")
MODES = ("AUTO_ENROLL", "OFFER")
POLICY = (
    "min_credits",
    "max_credits",
    "grade_scale",
    "gpa_scale_max",
    "passing_grade_points",
    "max_waitlists_per_term",
    "reenroll_cooldown_minutes",
    "allow_grade_improvement",
)
SECTIONS = (
    "course_id",
    "term_id",
    "section_type",
    "is_active",
    "code",
    "student_batch_id",
    "linked_to_section_id",
)
OFFER_CHECK = "(status = 'OFFERED') = (offer_expires_at IS NOT NULL)"


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(
            sa.Column(
                "waitlist_mode", sa.String(length=24), server_default="AUTO_ENROLL", nullable=False
            )
        )
        batch.add_column(
            sa.Column("offer_hours", sa.Integer(), server_default=sa.text("48"), nullable=False)
        )
        batch.create_check_constraint("waitlist_mode", f"waitlist_mode IN ({_in(MODES)})")
        batch.create_check_constraint("offer_hours", "offer_hours > 0")
    with op.batch_alter_table("course_sections") as batch:
        batch.add_column(sa.Column("waitlist_mode", sa.String(length=24), nullable=True))
        batch.add_column(sa.Column("offer_hours", sa.Integer(), nullable=True))
        batch.create_check_constraint("waitlist_mode", f"waitlist_mode IN ({_in(MODES)})")
        batch.create_check_constraint("offer_hours", "offer_hours IS NULL OR offer_hours > 0")
    with op.batch_alter_table("enrollments") as batch:
        batch.add_column(sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint("enrollment_status", type_="check")
        batch.create_check_constraint(
            "enrollment_status", f"status IN ({_in((*STATUSES, 'OFFERED'))})"
        )
        batch.create_check_constraint("offer", OFFER_CHECK)
    op.create_index("ix_enrollments_offer_expires_at", "enrollments", ["offer_expires_at"])
    _watch((*POLICY, "waitlist_mode", "offer_hours"), (*SECTIONS, "waitlist_mode", "offer_hours"))


def downgrade() -> None:
    _watch(POLICY, SECTIONS)
    op.execute(
        "UPDATE enrollments SET status = 'DROPPED', offer_expires_at = NULL "
        "WHERE status = 'OFFERED'"
    )
    op.drop_index("ix_enrollments_offer_expires_at", table_name="enrollments")
    with op.batch_alter_table("enrollments") as batch:
        batch.drop_constraint("offer", type_="check")
        batch.drop_constraint("enrollment_status", type_="check")
        batch.create_check_constraint("enrollment_status", f"status IN ({_in(STATUSES)})")
        batch.drop_column("offer_expires_at")
    with op.batch_alter_table("course_sections") as batch:
        batch.drop_constraint("offer_hours", type_="check")
        batch.drop_constraint("waitlist_mode", type_="check")
        batch.drop_column("offer_hours")
        batch.drop_column("waitlist_mode")
    with op.batch_alter_table("institutions") as batch:
        batch.drop_constraint("offer_hours", type_="check")
        batch.drop_constraint("waitlist_mode", type_="check")
        batch.drop_column("offer_hours")
        batch.drop_column("waitlist_mode")


def _watch(policy: tuple[str, ...], sections: tuple[str, ...]) -> None:
    """The catalog-version triggers on institutions' policy and sections' cached columns.

    On SQLite a batch migration that rebuilt one of these tables dropped its triggers: every
    trigger of the three rebuilt tables is made again here."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS catalog_policy_changed ON institutions")
        op.execute(
            f"CREATE TRIGGER catalog_policy_changed BEFORE UPDATE OF {', '.join(policy)} "
            "ON institutions FOR EACH ROW EXECUTE FUNCTION registrar_catalog_policy_changed()"
        )
        op.execute("DROP TRIGGER IF EXISTS catalog_row_changed ON course_sections")
        op.execute(
            f"CREATE TRIGGER catalog_row_changed AFTER UPDATE OF {', '.join(sections)} OR DELETE "
            "ON course_sections FOR EACH ROW EXECUTE FUNCTION registrar_catalog_row_changed()"
        )
        return
    bump = "UPDATE institutions SET catalog_version = random() WHERE id ="
    statements = {
        "catalog_policy_changed": f"AFTER UPDATE OF {', '.join(policy)} ON institutions "
        f"FOR EACH ROW BEGIN {bump} NEW.id; END",
        "catalog_course_sections_updated": f"AFTER UPDATE OF {', '.join(sections)} ON "
        f"course_sections FOR EACH ROW BEGIN {bump} NEW.institution_id; END",
        "catalog_course_sections_deleted": "AFTER DELETE ON course_sections FOR EACH ROW "
        f"BEGIN {bump} OLD.institution_id; END",
        "catalog_course_sections_linked_inserted": "AFTER INSERT ON course_sections FOR EACH ROW "
        f"WHEN NEW.linked_to_section_id IS NOT NULL BEGIN {bump} NEW.institution_id; END",
    }
    for name, body in statements.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")
