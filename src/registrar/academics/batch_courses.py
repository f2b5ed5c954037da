"""Batch courses as other packages use them (students call this when someone joins a batch)."""

from registrar.academics.service.batch_courses import (
    actor_of,
    auto_enroll_student_in_batch_courses,
)

__all__ = ["actor_of", "auto_enroll_student_in_batch_courses"]
