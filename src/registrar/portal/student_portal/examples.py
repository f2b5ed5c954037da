"""Examples of the portal's shapes for the OpenAPI document, from the demo (`registrar demo`).

Student 22CS001 of batch CS-2024-3-A (B.Tech Computer Science, year 3, semester 5, 2024-2025)
and the elective CS342 Cloud Computing, with the ids the demo gives them (seed 7).
"""

from __future__ import annotations

from pydantic.config import JsonDict

STUDENT_ID = "d84490ff-77f8-4849-9196-81f853241856"
SECTION_ID = "6e4a8498-7ac9-499f-8da0-706739d0f123"  # CS342-CS-2024-3-A
ENROLLMENT_ID = "7108189e-a066-469f-8eaa-72639fbbdcc6"

DEPARTMENT: JsonDict = {
    "id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
    "name": "Computer Science",
    "code": "CS",
}
COURSE_BRIEF: JsonDict = {
    "id": "4e55a933-08f4-46ad-a63b-cffbdcf3501c",
    "code": "CS342",
    "title": "Cloud Computing",
    "description": "Elective course of B.Tech Computer Science (UG), semester 5: Cloud Computing.",
    "credits": 3,
    "level": "UG",
}
COURSE: JsonDict = {**COURSE_BRIEF, "department": DEPARTMENT}
FACULTY: JsonDict = {
    "id": "d36e19c4-718f-46d6-82b6-19069d1252d3",
    "name": "Dr. Sravan Gudivada",
    "email": "sravan.gudivada@apu.edu.in",
}
TIMETABLE_ENTRY: JsonDict = {
    "day": "TUESDAY",
    "start_time": "13:15:00",
    "end_time": "14:45:00",
    "room": "CS-105",
    "building": "Computer Science Block",
}
ENROLLMENT_DETAILS: JsonDict = {
    "enrollment_date": "2024-07-22",
    "status": "ENROLLED",
    "enrollment_type": "REGULAR",
    "grade": None,
    "grade_points": None,
    "attendance_percentage": 91.5,
    "notes": "Elective for the cloud track",
}
ACADEMIC_CONTEXT: JsonDict = {
    "academic_year": "2024-2025",
    "semester": "5",
    "year_of_study": "3",
    "section": "A",
}
SUMMARY: JsonDict = {
    "total_courses": 7,
    "total_credits": 22,
    "enrolled_credits": 22,
    "completed_courses": 0,
    "current_gpa": 8.45,
    "attendance_average": 88.2,
}
STUDENT_BATCH: JsonDict = {
    "batch_code": "CS-2024-3-A",
    "batch_name": "CS-2024-3-A",
    "department": "Computer Science",
    "academic_program": "B.Tech Computer Science",
    "year_of_study": "3rd Year",
    "section": "A",
    "semester": "5",
}
ACADEMIC_INFO: JsonDict = {"student_batch": STUDENT_BATCH, "academic_year": "2024-2025"}
PREREQUISITE: JsonDict = {
    "course_code": "CS213",
    "course_title": "Operating Systems",
    "status": "COMPLETED",
    "grade": "B+",
}
ASSIGNMENT_INFO: JsonDict = {
    "assignment_type": "ELECTIVE",
    "year_of_study": 3,
    "is_required": False,
    "prerequisites": [PREREQUISITE],
}
BATCH_FLAGS: JsonDict = {
    "is_batch_enrolled": True,
    "auto_enroll": True,
    "enrollment_status": "ACTIVE",
}
FILTERS: JsonDict = {
    "academic_year": "2024-2025",
    "semester": "5",
    "course_type": None,
    "department": None,
}
GUIDELINES: JsonDict = {
    "max_credits_per_semester": 30,
    "min_credits_per_semester": 15,
    "enrollment_deadline": "2024-07-29",
    "prerequisite_check_required": True,
}
BATCH_ENROLLMENT: JsonDict = {
    "id": "475a80f3-c0a5-4588-b908-6f85b1ef8658",
    "enrollment_date": "2024-07-01",
    "status": "ACTIVE",
    "auto_enroll_new_students": True,
    "notes": "Elective offered to 3rd year B.Tech Computer Science students",
}
BATCH_INFO: JsonDict = {
    "batch_code": "CS-2024-3-A",
    "batch_name": "CS-2024-3-A",
    "department": "Computer Science",
    "academic_program": "B.Tech Computer Science",
    "total_students": 12,
    "enrolled_students": 12,
}
BATCH_SUMMARY: JsonDict = {
    "total_batch_courses": 9,
    "mandatory_courses": 6,
    "elective_courses": 3,
    "total_credits": 28,
    "enrolled_courses": 7,
    "pending_enrollments": 2,
}
ENROLL: JsonDict = {
    "course_section_id": SECTION_ID,
    "enrollment_type": "REGULAR",
    "notes": "Cloud track",
}
# A drop of one of the batch's courses (CS303), by its enrollment of the demo.
DROP: JsonDict = {
    "enrollment_id": "bbf28d73-a53b-4d0d-a584-c93b35d06131",
    "reason": "Taking Computer Networks with the 2025 batch after my internship",
}
STUDENT: JsonDict = {"id": STUDENT_ID, "roll_number": "22CS001", "name": "Jyothi Paruchuri"}
COURSE_CODE_TITLE: JsonDict = {"code": "CS342", "title": "Cloud Computing"}
FACULTY_NAME: JsonDict = {"name": "Dr. Sravan Gudivada"}
ENROLLED_SECTION: JsonDict = {
    "id": SECTION_ID,
    "course": COURSE_CODE_TITLE,
    "section_type": "LECTURE",
    "faculty": FACULTY_NAME,
}
RECORD: JsonDict = {
    "id": ENROLLMENT_ID,
    "student": STUDENT,
    "course_section": ENROLLED_SECTION,
    "enrollment_date": "2024-07-22",
    "status": "ENROLLED",
    "enrollment_type": "REGULAR",
    "notes": "Cloud track",
}
WARNING: JsonDict = {
    "code": "CREDIT_MINIMUM",
    "message": "Credit load is below the minimum for this semester",
    "details": {"total_credits": 3, "min_credits": 15},
}
ENROLLED: JsonDict = {
    "enrollment": RECORD,
    "message": "Successfully enrolled in CS342 - Cloud Computing",
}
PROMOTED: JsonDict = {
    "enrollment_id": "5c0230a2-0fcd-4332-bfaa-8eef6d7c0d92",
    "student_id": "c922bbcc-4d51-40b0-bf79-0f4930c1ae5f",
    "from_position": 1,
}
DROPPED: JsonDict = {
    "enrollment": {
        "id": DROP["enrollment_id"],
        "student": STUDENT,
        "course_section": {
            "id": "5d10d11b-6ee6-43a8-a1ae-af3f6482854c",
            "course": {"code": "CS303", "title": "Computer Networks"},
            "section_type": "LECTURE",
            "faculty": {"name": "Dr. Sravan Jampani"},
        },
        "enrollment_date": "2024-07-01",
        "status": "DROPPED",
        "enrollment_type": "REGULAR",
        "notes": "Batch enrollment",
        "drop_reason": DROP["reason"],
    },
    "message": "Successfully dropped CS303 - Computer Networks",
    "promoted": None,  # the section had seats to spare: nobody was waiting
}
