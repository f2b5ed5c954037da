"""fair use and idempotency: waitlists per term, a re-enroll cooldown, idempotency keys

Institutions get two policies that stop seat hoarding in a rush (`max_waitlists_per_term`,
`reenroll_cooldown_minutes`), cached by the API workers like the credit limits, so the
catalog-version trigger on institutions watches them too.

`idempotency_keys` keeps, for a day, the answer to a request sent with an `Idempotency-Key`,
written in the same transaction as the change it answers.

Existing institutions keep today's behaviour (no waitlist limit, no cooldown); new ones get
the defaults of the model.

Revision ID: a41c7e3d2b90
Revises: 7d2f4c1b9e05
Create Date: 2026-11-30 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a41c7e3d2b90"
down_revision: str | None = "7d2f4c1b9e05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_POLICY = ("min_credits", "max_credits", "grade_scale", "gpa_scale_max", "passing_grade_points")
NEW_POLICY = (*OLD_POLICY, "max_waitlists_per_term", "reenroll_cooldown_minutes")


def upgrade() -> None:
    with op.batch_alter_table("institutions") as batch:
        batch.add_column(sa.Column("max_waitlists_per_term", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "reenroll_cooldown_minutes",
                sa.Integer(),
                server_default=sa.text("0"),
                nullable=False,
            )
        )
        batch.create_check_constraint(
            "waitlists_per_term", "max_waitlists_per_term IS NULL OR max_waitlists_per_term >= 0"
        )
        batch.create_check_constraint("reenroll_cooldown", "reenroll_cooldown_minutes >= 0")
    _policy_trigger(NEW_POLICY)
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_idempotency_keys_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_idempotency_keys_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint(
            "institution_id",
            "user_id",
            "key",
            name=op.f("uq_idempotency_keys_institution_id_user_id_key"),
        ),
    )
    op.create_index(
        op.f("ix_idempotency_keys_expires_at"), "idempotency_keys", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_idempotency_keys_expires_at"), table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    _policy_trigger(OLD_POLICY)
    with op.batch_alter_table("institutions") as batch:
        batch.drop_constraint("reenroll_cooldown", type_="check")
        batch.drop_constraint("waitlists_per_term", type_="check")
        batch.drop_column("reenroll_cooldown_minutes")
        batch.drop_column("max_waitlists_per_term")


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
