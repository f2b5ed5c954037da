"""Examples of the student and batch shapes for the OpenAPI document, from the demo.

Batch CS-2024-3-A (B.Tech Computer Science, year 3, semester 5, 2024-2025) and its students,
with the ids `registrar demo` gives them (seed 7).
"""

from __future__ import annotations

from pydantic.config import JsonDict

CS = "6ce4988f-15c9-41d2-a59c-4d87b94c33e9"
BTECH_CS = "a0a9a5c9-4c63-4f33-b4e7-bff04f900d69"
YEAR_2024 = "80a4aed2-bf2d-4480-8553-f480f3de57ab"
BATCH_A = "22d489da-3929-4a5d-b901-363c1caeeae0"  # CS-2024-3-A
BATCH_B = "6badf7ec-f735-4b7a-8ee2-de432b2abb16"  # CS-2024-3-B
NEW_STUDENT = "4fa792a7-2dcc-48d5-a534-6e0516d52fd3"  # 22CS061, made by the create example

_CS_YEAR_3: JsonDict = {
    "department_id": CS,
    "program_id": BTECH_CS,
    "academic_year_id": YEAR_2024,
    "academic_year": "2024-2025",
    "year_of_study": 3,
    "semester": 5,
}
STUDENT: JsonDict = {
    "id": "d84490ff-77f8-4849-9196-81f853241856",
    "user_id": "2ca69cff-f607-422c-8ad2-038c9ceecfca",
    "roll_number": "22CS001",
    "name": "Jyothi Paruchuri",
    "email": "22cs001@apu.edu.in",
    "gender": "F",
    "category": "SC",
    "guardian_email": "harshavardhan.paruchuri.22cs001@gmail.com",
    **_CS_YEAR_3,
    "section": "A",
    "student_batch_id": BATCH_A,
    "grade_level": None,
    "track": None,
    "strand": None,
    "status": "ACTIVE",
    "admission_year": 2022,
    "created_at": "2024-07-01T09:00:00Z",
    "updated_at": "2024-07-01T09:00:00Z",
}
STUDENT_CREATE: JsonDict = {
    "roll_number": "22CS061",
    "name": "Harika Vallabhaneni",
    "email": "22cs061@apu.edu.in",
    "gender": "F",
    "category": "BC-B",
    "guardian_email": "srinivas.vallabhaneni@gmail.com",
    "student_batch_id": BATCH_A,
    "admission_year": 2022,
    "password": "student123",
}
STUDENT_UPDATE: JsonDict = {"guardian_email": "lakshmi.vallabhaneni@gmail.com"}
OUTCOME: JsonDict = {
    "student_id": NEW_STUDENT,
    "roll_number": "22CS061",
    "outcome": "ENROLLED",
    "course_code": "CS301",
    "section_code": "CS301-CS-2024-3-A",
}
STUDENT_WRITTEN: JsonDict = {
    **STUDENT,
    "id": NEW_STUDENT,
    "user_id": "84ab6a36-a9ad-438d-a910-9b9fc429af8d",
    "roll_number": "22CS061",
    "name": "Harika Vallabhaneni",
    "email": "22cs061@apu.edu.in",
    "category": "BC-B",
    "guardian_email": "srinivas.vallabhaneni@gmail.com",
    "created_at": "2024-07-08T11:20:00Z",
    "updated_at": "2024-07-08T11:20:00Z",
    "auto_enrollment": [
        OUTCOME,
        {**OUTCOME, "course_code": "CS302", "section_code": "CS302-CS-2024-3-A"},
    ],
}
BATCH: JsonDict = {
    "id": BATCH_A,
    "code": "CS-2024-3-A",
    "name": "CS-2024-3-A",
    **_CS_YEAR_3,
    "section": "A",
    "grade_level": None,
    "track": None,
    "strand": None,
    "capacity": 70,
    "is_active": True,
    "active_students": 12,
    "created_at": "2024-07-01T09:00:00Z",
    "updated_at": "2024-07-01T09:00:00Z",
}
BATCH_CREATE: JsonDict = {
    "department_id": CS,
    "program_id": BTECH_CS,
    "academic_year": "2024-2025",
    "year_of_study": 3,
    "semester": 5,
    "section": "C",
    "code": "CS-2024-3-C",
    "capacity": 60,
}
BATCH_UPDATE: JsonDict = {"capacity": 72}

# Divisions, assignment and statistics (seed 003).
DIVISION_STUDENT: JsonDict = {
    "id": "d84490ff-77f8-4849-9196-81f853241856",
    "roll_number": "22CS001",
    "name": "Jyothi Paruchuri",
    "email": "22cs001@apu.edu.in",
    "gender": "F",
    "category": "SC",
    "status": "ACTIVE",
    "student_batch_id": BATCH_A,
    "admission_year": 2022,
}
SECTION_DIVISION: JsonDict = {"students": [DIVISION_STUDENT], "count": 12}
SEMESTER_DIVISION: JsonDict = {"sections": {"A": SECTION_DIVISION}, "total_students": 12}
YEAR_OF_STUDY_DIVISION: JsonDict = {"semesters": {"5": SEMESTER_DIVISION}, "total_students": 12}
ACADEMIC_YEAR_DIVISION: JsonDict = {
    "year_of_study": {"3": YEAR_OF_STUDY_DIVISION},
    "total_students": 12,
}
PROGRAM_DIVISION: JsonDict = {
    "program_id": BTECH_CS,
    "program_name": "B.Tech Computer Science",
    "program_code": "BTECH-CS",
    "program_level": "UG",
    "years": {"2024-2025": ACADEMIC_YEAR_DIVISION},
}
DEPARTMENT_DIVISION: JsonDict = {
    "department_id": CS,
    "department_name": "Computer Science",
    "department_code": "CS",
    "programs": {"BTECH-CS": PROGRAM_DIVISION},
}
MOVED: JsonDict = {
    **STUDENT,
    "id": "7dd775cf-a38d-4d45-a11b-1ed109506cc5",
    "user_id": "ee39a3b1-b66d-4909-8f7b-7fa58525b353",
    "roll_number": "22CS012",
    "name": "Akhil Goud",
    "email": "22cs012@apu.edu.in",
    "gender": "M",
    "guardian_email": "tarun.goud.22cs012@gmail.com",
    "section": "B",
    "student_batch_id": BATCH_B,
    "updated_at": "2024-07-08T11:20:00Z",
}
ASSIGN: JsonDict = {
    "academic_year": "2024-2025",
    "year_of_study": 3,
    "semester": 5,
    "section": "B",
    "student_ids": ["7dd775cf-a38d-4d45-a11b-1ed109506cc5"],
}
PLACEMENT: JsonDict = {
    "batch_id": BATCH_B,
    "code": "CS-2024-3-B",
    "created": False,
    "students_assigned": 1,
}
ASSIGN_ERROR: JsonDict = {
    "student_id": "0f8e2c1a-5b7d-4c3e-9a6f-2d1b8e4c7a90",
    "code": "unknown_student",
    "error": "Student 0f8e2c1a-5b7d-4c3e-9a6f-2d1b8e4c7a90 not found",
}
ASSIGNED: JsonDict = {
    "updated_students": [MOVED],
    "updated_count": 1,
    "errors": [],
    "batches": [PLACEMENT],
    "auto_enrollment": [
        {
            "student_id": "7dd775cf-a38d-4d45-a11b-1ed109506cc5",
            "roll_number": "22CS012",
            "outcome": "ENROLLED",
            "course_code": "CS301",
            "section_code": "CS301-CS-2024-3-B",
        }
    ],
}
# Final-year CS students from semester 7 to 8: each section's students in a batch of its own.
CRITERIA: JsonDict = {"current_department": CS, "current_year_of_study": 4, "current_semester": 7}
ASSIGNMENT: JsonDict = {"semester": 8}
BULK_ASSIGN: JsonDict = {"criteria": CRITERIA, "assignment": ASSIGNMENT}
BULK_ASSIGNED: JsonDict = {
    "updated_count": 20,
    "criteria_matched": 20,
    "sample_updated_students": [
        {
            **STUDENT,
            "id": "596d989b-a1f1-484f-8ba7-ed38292b4990",
            "user_id": "1e8de502-926e-4447-a84c-9b56d479e756",
            "roll_number": "21CS001",
            "name": "Mounika Yadav",
            "email": "21cs001@apu.edu.in",
            "guardian_email": "yaswanth.yadav.21cs001@gmail.com",
            "year_of_study": 4,
            "semester": 8,
            "student_batch_id": "6b270c25-53f1-4dd2-90aa-bcca0a4f17ed",
            "admission_year": 2021,
            "updated_at": "2024-11-30T17:05:00Z",
        }
    ],
    "assignment": ASSIGNMENT,
    "batches": [
        {
            "batch_id": "6b270c25-53f1-4dd2-90aa-bcca0a4f17ed",
            "code": "CS-2024-4-A-S8",
            "created": True,
            "students_assigned": 11,
        },
        {
            "batch_id": "98835326-169d-48d6-b914-13af32a8c143",
            "code": "CS-2024-4-B-S8",
            "created": True,
            "students_assigned": 9,
        },
    ],
}
YEAR_STATISTICS: JsonDict = {"total": 111, "sections": {"A": 58, "B": 53}}
DEPARTMENT_STATISTICS: JsonDict = {
    "department_id": CS,
    "department_name": "Computer Science",
    "department_code": "CS",
    "total_students": 111,
    "by_year": {"2024-2025": YEAR_STATISTICS},
    "by_year_of_study": {"1": 34, "2": 34, "3": 23, "4": 20},
    "by_semester": {"1": 34, "3": 34, "5": 23, "7": 20},
    "by_gender": {"F": 55, "M": 56},
    "by_quota": {
        "BC-A": 10,
        "BC-B": 11,
        "BC-C": 1,
        "BC-D": 7,
        "BC-E": 5,
        "EWS": 13,
        "OC": 38,
        "SC": 18,
        "ST": 8,
    },
}

# The answers of `divisions/` and `division-statistics/`, by department code.
DIVISIONS: JsonDict = {"CS": DEPARTMENT_DIVISION}
STATISTICS: JsonDict = {"CS": DEPARTMENT_STATISTICS}
