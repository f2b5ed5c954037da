"""holds: a registrar's block on a student's registration until released or expired

Revision ID: 2f8276d88612
Revises: a41c7e3d2b90
Create Date: 2026-11-30 19:07:38.009370
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2f8276d88612"
down_revision: str | None = "a41c7e3d2b90"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "holds",
        sa.Column("student_id", sa.Uuid(), nullable=False),
        sa.Column(
            "hold_type",
            sa.Enum(
                "FINANCIAL",
                "ACADEMIC",
                "DISCIPLINARY",
                "ADMINISTRATIVE",
                name="hold_type",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("placed_by_user_id", sa.Uuid(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("institution_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(released_at IS NULL) = (released_by_user_id IS NULL)",
            name=op.f("ck_holds_released_by"),
        ),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institutions.id"],
            name=op.f("fk_holds_institution_id_institutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_user_id"], ["users.id"], name=op.f("fk_holds_placed_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_user_id"], ["users.id"], name=op.f("fk_holds_released_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_holds_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
    )
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_holds_student_id_released_at"),
            ["student_id", "released_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holds_student_id_released_at"))

    op.drop_table("holds")
