"""The K-12 rules as pure functions: no database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest

from registrar.enrollment.continuing.standing import (
    LevelRules,
    Prerequisite,
    Record,
    assess,
    core_check_applies,
    detect_level,
    fixed_load_refusal,
    is_makeup,
    prerequisite_refusal,
    show,
    standing_refusal,
    target_grade,
    track_strand_refusal,
    unit_load_refusal,
)
from registrar.enrollment.models import EnrollmentType
from registrar.institutions.models import EducationLevel

ELEMENTARY = LevelRules(
    level=EducationLevel.ELEMENTARY,
    min_grade=1,
    max_grade=6,
    semester_based=False,
    min_gpa=None,
    max_failed=2,
    failed_period="YEAR",
    min_units=None,
    max_units=None,
    section_capacity=50,
    strict_prerequisites=False,
    track_strand_required=False,
    min_attendance=Decimal(80),
    passing_mark=Decimal(75),
)
JUNIOR_HIGH = replace(
    ELEMENTARY,
    level=EducationLevel.JUNIOR_HIGH,
    min_grade=7,
    max_grade=10,
    min_gpa=Decimal(75),
    min_attendance=None,
)
SENIOR_HIGH = replace(
    JUNIOR_HIGH,
    level=EducationLevel.SENIOR_HIGH,
    min_grade=11,
    max_grade=12,
    semester_based=True,
    failed_period="SEMESTER",
    min_units=15,
    max_units=30,
    strict_prerequisites=True,
    track_strand_required=True,
)
IDS: dict[str, uuid.UUID] = {}


def rec(
    code: str,
    mark: int,
    *,
    core: bool = True,
    period: str = "FY",
    units: int = 1,
    attendance: int | None = 95,
    grade: int | None = 3,
    makeup: bool = False,
) -> Record:
    return Record(
        course_id=IDS.setdefault(code, uuid.uuid4()),
        course_code=code,
        is_core=core,
        units=units,
        mark=Decimal(mark),
        passed=mark >= 75,
        attendance=Decimal(attendance) if attendance is not None else None,
        period=period,
        grade_level=grade,
        makeup=makeup,
    )


@pytest.mark.parametrize(
    ("grade", "level"),
    [
        (1, EducationLevel.ELEMENTARY),
        (6, EducationLevel.ELEMENTARY),
        (7, EducationLevel.JUNIOR_HIGH),
        (10, EducationLevel.JUNIOR_HIGH),
        (11, EducationLevel.SENIOR_HIGH),
        (12, EducationLevel.SENIOR_HIGH),
    ],
)
def test_level_is_detected_from_the_policy_ranges(grade: int, level: EducationLevel) -> None:
    found = detect_level([ELEMENTARY, JUNIOR_HIGH, SENIOR_HIGH], grade)
    assert found is not None
    assert found.level is level


def test_a_grade_outside_every_range_has_no_level() -> None:
    assert detect_level([ELEMENTARY, JUNIOR_HIGH, SENIOR_HIGH], 13) is None
    # The ranges are data: a school that moves grade 6 to junior high gets it there.
    moved = [replace(ELEMENTARY, max_grade=5), replace(JUNIOR_HIGH, min_grade=6)]
    found = detect_level(moved, 6)
    assert found is not None
    assert found.level is EducationLevel.JUNIOR_HIGH


def test_three_failed_subjects_exceed_two() -> None:
    standing = assess([rec("M", 70), rec("E", 72), rec("S", 74), rec("A", 90)], [], ELEMENTARY)
    refusal = standing_refusal(standing, ELEMENTARY)
    assert refusal is not None
    assert refusal.message == "Student has 3 failed subjects, exceeding the maximum allowed"
    assert refusal.details["failedSubjects"] == ["E", "M", "S"]


def test_two_failed_non_core_subjects_are_allowed() -> None:
    standing = assess(
        [rec("M", 90), rec("A", 60, core=False), rec("P", 60, core=False)], [], ELEMENTARY
    )
    assert standing_refusal(standing, ELEMENTARY) is None


def test_failures_count_per_semester_when_the_policy_says_so() -> None:
    regular = [
        rec("A1", 70, core=False, period="S1"),
        rec("B1", 70, core=False, period="S1"),
        rec("C1", 95, period="S1"),
        rec("A2", 70, core=False, period="S2"),
        rec("B2", 70, core=False, period="S2"),
        rec("C2", 95, period="S2"),
        rec("D2", 95, period="S2"),
        rec("E2", 95, period="S2"),
    ]
    # Four failures in the year, two per semester: fine per semester, too many per year.
    assert standing_refusal(assess(regular, [], SENIOR_HIGH), SENIOR_HIGH) is None
    per_year = replace(SENIOR_HIGH, failed_period="YEAR")
    refusal = standing_refusal(assess(regular, [], per_year), per_year)
    assert refusal is not None
    assert refusal.message.startswith("Student has 4 failed subjects")
    assert refusal.details["failedSubjects"] == ["A1", "A2", "B1", "B2"]


def test_the_failed_subjects_listed_are_the_worst_semesters() -> None:
    regular = [
        rec("A1", 70, core=False, period="S1"),
        rec("B1", 70, core=False, period="S1"),
        rec("C1", 70, core=False, period="S1"),
        rec("A2", 70, core=False, period="S2"),
        rec("B2", 70, core=False, period="S2"),
    ]
    standing = assess(regular, [], SENIOR_HIGH)
    assert (standing.failed, standing.failed_in) == (("A1", "B1", "C1"), "S1")
    refusal = standing_refusal(standing, SENIOR_HIGH)
    assert refusal is not None
    assert refusal.message == "Student has 3 failed subjects, exceeding the maximum allowed"
    assert refusal.details == {
        "failedSubjects": ["A1", "B1", "C1"],
        "maxFailedSubjects": 2,
        "period": "SEMESTER",
        "term": "S1",
    }


def test_gpa_below_the_minimum_names_both_numbers() -> None:
    standing = assess([rec("M", 75), rec("E", 72), rec("S", 70)], [], JUNIOR_HIGH)
    assert standing.gpa == Decimal("72.33")
    refusal = standing_refusal(standing, JUNIOR_HIGH)
    assert refusal is not None
    assert refusal.message == "Student's GPA (72.33) is below the required minimum of 75"


def test_gpa_is_weighted_by_units() -> None:
    standing = assess([rec("M", 90, units=3), rec("E", 70, units=1, core=False)], [], JUNIOR_HIGH)
    assert standing.gpa == Decimal("85.00")


def test_elementary_has_no_gpa_rule() -> None:
    standing = assess(
        [rec("M", 75), rec("E", 75), rec("S", 75), rec("A", 50, core=False)], [], ELEMENTARY
    )
    assert standing.gpa == Decimal("68.75")
    assert standing_refusal(standing, ELEMENTARY) is None
    assert standing_refusal(standing, JUNIOR_HIGH) is not None


def test_a_failed_core_subject_blocks_until_a_makeup_passes() -> None:
    regular = [rec("M", 70), rec("E", 90), rec("S", 90)]
    refusal = standing_refusal(assess(regular, [], ELEMENTARY), ELEMENTARY)
    assert refusal is not None
    assert refusal.message == "Core subjects from previous level not completed"
    assert refusal.details == {"coreSubjects": ["M"]}
    failed_again = [rec("M", 72, makeup=True)]
    assert standing_refusal(assess(regular, failed_again, ELEMENTARY), ELEMENTARY) is not None
    summer = [rec("M", 80, makeup=True)]
    standing = assess(regular, summer, ELEMENTARY)
    assert standing_refusal(standing, ELEMENTARY) is None
    # The failure still counts against the limit, and the make-up mark is not in the GPA.
    assert standing.failed == ("M",)
    assert standing.gpa == Decimal("83.33")


def test_core_subjects_are_checked_on_full_year_levels_and_on_entering_a_level() -> None:
    regular = [rec("PRECAL", 70, period="S1", grade=11), rec("ORALCOM", 90, period="S1", grade=11)]
    standing = assess(regular, [], SENIOR_HIGH)
    assert core_check_applies(ELEMENTARY, ELEMENTARY)
    assert core_check_applies(JUNIOR_HIGH, ELEMENTARY)
    assert core_check_applies(SENIOR_HIGH, JUNIOR_HIGH)
    assert core_check_applies(SENIOR_HIGH, None)
    # Grade 11 to 12: the failed core subject is left to prerequisites and the failed limit.
    assert not core_check_applies(SENIOR_HIGH, SENIOR_HIGH)
    assert standing_refusal(standing, SENIOR_HIGH, core_required=False) is None
    refusal = standing_refusal(standing, SENIOR_HIGH, core_required=True)
    assert refusal is not None
    assert refusal.message == "Core subjects from previous level not completed"


def test_makeups_are_repeat_enrollments_or_notes_that_say_so() -> None:
    assert is_makeup(EnrollmentType.REPEAT, "")
    assert is_makeup(EnrollmentType.REGULAR, "Summer program 2024")
    assert is_makeup(EnrollmentType.REGULAR, "  remedial class")
    assert not is_makeup(EnrollmentType.REGULAR, "K-12 continuing enrollment")


def test_attendance_below_the_minimum() -> None:
    regular = [rec("M", 90, attendance=70), rec("E", 90, attendance=75)]
    refusal = standing_refusal(assess(regular, [], ELEMENTARY), ELEMENTARY)
    assert refusal is not None
    assert refusal.message == "Student's attendance (72.5%) is below the required minimum of 80%"
    assert standing_refusal(assess(regular, [], JUNIOR_HIGH), JUNIOR_HIGH) is None


def test_failed_subjects_come_before_gpa_and_core() -> None:
    regular = [rec("M", 50), rec("E", 50), rec("S", 50)]
    refusal = standing_refusal(assess(regular, [], JUNIOR_HIGH), JUNIOR_HIGH)
    assert refusal is not None
    assert refusal.message.startswith("Student has 3 failed subjects")


def test_target_grade() -> None:
    completed_third = assess([rec("M", 90, grade=3)], [], ELEMENTARY)
    assert target_grade(3, completed_third, new_school_year=True) == 4
    # Already placed in grade 4 by the school: stays in 4.
    assert target_grade(4, completed_third, new_school_year=True) == 4
    # Second semester of the same year: no advancement.
    assert (
        target_grade(11, assess([rec("P", 90, grade=11)], [], SENIOR_HIGH), new_school_year=False)
        == 11
    )
    # Nothing on record to judge: the student stays.
    assert target_grade(5, assess([], [], ELEMENTARY), new_school_year=True) == 5


def test_missing_prerequisites_lists_each_one() -> None:
    algebra, geometry = Prerequisite(uuid.uuid4(), "ALG1"), Prerequisite(uuid.uuid4(), "GEO1")
    refusal = prerequisite_refusal("CALC", [algebra, geometry], frozenset())
    assert refusal is not None
    assert refusal.message == "Missing prerequisites for CALC: ALG1, GEO1"
    partly = prerequisite_refusal("CALC", [algebra, geometry], frozenset({algebra.course_id}))
    assert partly is not None
    assert partly.message == "Missing prerequisites for CALC: GEO1"
    both = frozenset({algebra.course_id, geometry.course_id})
    assert prerequisite_refusal("CALC", [algebra, geometry], both) is None


@pytest.mark.parametrize(("units", "ok"), [(14, False), (15, True), (30, True), (31, False)])
def test_senior_high_unit_load(units: int, ok: bool) -> None:
    refusal = unit_load_refusal(units, SENIOR_HIGH)
    assert (refusal is None) is ok
    if refusal is not None:
        assert refusal.message == (
            f"Unit load of {units} is outside the allowed range of 15-30 units per semester"
        )
    assert unit_load_refusal(units, ELEMENTARY) is None


def test_a_full_year_grade_takes_every_core_subject() -> None:
    core = ["MATH4", "ENG4", "SCI4"]
    refusal = fixed_load_refusal(4, core, ["MATH4", "COMP4"])
    assert refusal is not None
    assert refusal.message == "Missing core subjects of grade 4: ENG4, SCI4"
    assert refusal.details == {"gradeLevel": 4, "missingSubjects": ["ENG4", "SCI4"]}
    # Taken = asked for plus already held for the period; optional subjects may come besides.
    assert fixed_load_refusal(4, core, ["MATH4", "ENG4", "SCI4", "COMP4"]) is None
    assert fixed_load_refusal(4, [], ["COMP4"]) is None


def test_track_and_strand_must_match_when_both_are_set() -> None:
    refusal = track_strand_refusal(("ACADEMIC", "ABM"), ("ACADEMIC", "STEM"), "Section")
    assert refusal is not None
    assert refusal.message == "Section strand (STEM) does not match the student's strand (ABM)"
    assert track_strand_refusal(("ACADEMIC", "stem"), ("ACADEMIC", "STEM"), "Section") is None
    assert track_strand_refusal((None, None), ("ACADEMIC", "STEM"), "Section") is None
    wrong_track = track_strand_refusal(("TVL", "ICT"), ("ACADEMIC", None), "Subject X")
    assert wrong_track is not None
    assert "track" in wrong_track.message


def test_numbers_are_shown_as_people_write_them() -> None:
    assert show(Decimal("75.00")) == "75"
    assert show(Decimal("72.50")) == "72.5"
    assert show(Decimal("72.33")) == "72.33"
