"""The one order students are row-locked in, by every writer: their id.

Two transactions that lock overlapping sets of students in different orders can each hold one
the other waits for: a deadlock. The engine (one student per enroll or drop, and a bulk
operation's students up front), batch courses and the students' own bulk assignment all lock
through `in_lock_order`, so they only ever wait for each other.
"""

from __future__ import annotations

from typing import TypeVarTuple

from sqlalchemy import Select

from registrar.students.models import Student

_Ts = TypeVarTuple("_Ts")


def in_lock_order(statement: Select[*_Ts], *, key_share: bool = False) -> Select[*_Ts]:
    """The statement's student rows, locked in id order (SQLite renders no lock; its writers
    begin IMMEDIATE).

    `key_share`: FOR NO KEY UPDATE rather than FOR UPDATE, for writers that change no key, so
    rows that merely refer to the student are not blocked. The statement must have no ORDER BY
    of its own: wrap it (`select(*locked.subquery().c)`) to return rows in another order.
    """
    return statement.order_by(Student.id).with_for_update(key_share=key_share)
