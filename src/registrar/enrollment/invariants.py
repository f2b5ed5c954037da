"""The invariants no rush may break, as SQL: each query counts the rows that break one, and
every count must be 0. The benchmarks and the load tests audit a database with them after a run.

A seat is held by an ENROLLED or COMPLETED student, or OFFERED from the waitlist.
"""

from __future__ import annotations

INVARIANTS: dict[str, str] = {
    "sections over capacity": (
        "SELECT count(*) FROM course_sections WHERE enrolled_count > capacity "
        "OR waitlisted_count > waitlist_limit"
    ),
    "sections whose counters differ from rows": """
        SELECT count(*) FROM course_sections s WHERE
          s.enrolled_count <> (SELECT count(*) FROM enrollments e WHERE e.section_id = s.id
                               AND e.status IN ('ENROLLED', 'COMPLETED', 'OFFERED'))
          OR s.waitlisted_count <> (SELECT count(*) FROM enrollments e WHERE e.section_id = s.id
                                    AND e.status = 'WAITLISTED')""",
    "waitlists with gaps or repeats": """
        SELECT count(*) FROM (
          SELECT section_id FROM enrollments WHERE status = 'WAITLISTED' GROUP BY section_id
          HAVING count(DISTINCT waitlist_position) <> count(*)
              OR max(waitlist_position) <> count(*)) gaps""",
    "students in one section twice": """
        SELECT count(*) FROM (SELECT student_id, section_id FROM enrollments
                              GROUP BY student_id, section_id HAVING count(*) > 1) twice""",
}
