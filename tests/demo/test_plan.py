"""The demo's planning rules, without a database: cohort sizes, sections, weekly timetables."""

from __future__ import annotations

import pytest

from registrar.demo.catalog import program_catalog
from registrar.demo.cohorts import (
    BATCH_CAPACITY,
    FLAGSHIP,
    cohort_sizes,
    section_count,
    section_letter,
)
from registrar.demo.timetable import BatchWeek


@pytest.mark.parametrize("students", [1, 7, 50, 300, 20000])
def test_cohorts_share_out_every_student_and_always_hold_22cs001(students: int) -> None:
    sizes = cohort_sizes(students)
    assert sum(sizes.values()) == students
    assert sizes[FLAGSHIP] >= 1
    for size in sizes.values():
        sections = section_count(size)
        assert -(-size // sections) <= BATCH_CAPACITY  # the largest section fits its batch


def test_a_large_intake_gets_sections_of_about_sixty_six() -> None:
    sizes = cohort_sizes(20000)
    size = sizes[FLAGSHIP]
    assert section_count(size) == -(-size // 66)
    assert [section_letter(i) for i in (0, 1, 25, 26)] == ["A", "B", "Z", "AA"]


@pytest.mark.parametrize("lab_day", range(5))
def test_a_batch_week_never_gives_the_same_period_twice(lab_day: int) -> None:
    week = BatchWeek(lab_day)
    meetings = [week.lab()]
    for _course in range(8):  # five core lectures and three electives
        pair = week.lecture_pair()
        assert pair[0].day != pair[1].day
        meetings.extend(pair)
    for i, a in enumerate(meetings):
        for b in meetings[i + 1 :]:
            assert a.day != b.day or a.end <= b.start or b.end <= a.start


def test_prerequisites_come_from_earlier_semesters() -> None:
    catalog = program_catalog("CS", "CS")
    semester = {spec.code: spec.semester for spec in catalog}
    assert len(semester) == len(catalog)  # codes are unique
    chain = {spec.code: spec.prerequisites for spec in catalog}
    assert chain["CS301"] == ("CS201",)
    assert chain["CS201"] == ("CS101",)
    assert chain["CS302"] == ("CS201",)
    for spec in catalog:
        for needed in spec.prerequisites:
            assert semester[needed] < spec.semester
