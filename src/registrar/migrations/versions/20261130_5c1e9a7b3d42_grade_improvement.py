"""grade improvement: whether a passed course may be repeated to improve its grade

`institutions.allow_grade_improvement`, off by default (a university's rule); a school turns it
on for its remedial classes. The engine caches the institution's policy, so the catalog-version
trigger on institutions watches the new column too.

Revision ID: 5c1e9a7b3d42
Revises: 2f8276d88612
Create Date: 2026-11-30 19:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c1e9a7b3d42"
down_revision: str | None = "2f8276d88612"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_POLICY = (
    "min_credits",
    "max_credits",
    "grade_scale",
    "gpa_scale_max",
    "passing_grade_points",
    "max_waitlists_per_term",
    "reenroll_cooldown_minutes",
)
NEW_POLICY = (*OLD_POLICY, "allow_grade_improvement")


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(
            sa.Column(
                "allow_grade_improvement",
                sa.Boolean(),
                server_default=sa.false(),
                nullable=False,
            )
        )
    _policy_trigger(NEW_POLICY)
    # The schools of the K-12 model run remedial classes: improvement is theirs already.
    op.execute("UPDATE institutions SET allow_grade_improvement = TRUE WHERE kind = 'K12'")


def downgrade() -> None:
    _policy_trigger(OLD_POLICY)
    with op.batch_alter_table("institutions") as batch:
        batch.drop_column("allow_grade_improvement")


def _policy_trigger(columns: tuple[str, ...]) -> None:
    """The catalog-version trigger on institutions, watching these columns."""
    watched = ", ".join(columns)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS catalog_policy_changed ON institutions")
        op.execute(
            f"CREATE TRIGGER catalog_policy_changed BEFORE UPDATE OF {watched} ON institutions "
            "FOR EACH ROW EXECUTE FUNCTION registrar_catalog_policy_changed()"
        )
        return
    op.execute("DROP TRIGGER IF EXISTS catalog_policy_changed")
    op.execute(
        f"CREATE TRIGGER catalog_policy_changed AFTER UPDATE OF {watched} ON institutions "
        "FOR EACH ROW BEGIN UPDATE institutions SET catalog_version = random() "
        "WHERE id = NEW.id; END"
    )
