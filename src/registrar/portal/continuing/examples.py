"""Examples of the K-12 continuing enrollment for the OpenAPI document, from the demo school.

ELEM123 (Czarina Flores, grade 4) enrolled by homeroom SEC-G4-A for SY2024-2025, as the
specification's section-based example asks and `registrar demo` answers it.
"""

from __future__ import annotations

from pydantic.config import JsonDict, JsonValue

ENROLLMENT_ID = "a86de899-e93d-4f8d-b57e-86c529bd37c9"
_WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
# code, name, schedule, start, end, enrollment id: the homeroom's day, one unit each.
_SUBJECTS = (
    ("COMP4", "Computer Education 4", "SCH456", "16:00", "17:00"),
    ("AP4", "Araling Panlipunan 4", "SEC-G4-A-AP4", "13:00", "14:00"),
    ("ENG4", "English 4", "SEC-G4-A-ENG4", "08:30", "09:30"),
    ("ESP4", "Edukasyon sa Pagpapakatao 4", "SEC-G4-A-ESP4", "15:00", "16:00"),
    ("FIL4", "Filipino 4", "SEC-G4-A-FIL4", "10:45", "11:45"),
    ("MAPEH4", "Music, Arts, Physical Education and Health 4", "SEC-G4-A-MAPEH4", "14:00", "15:00"),
    ("MATH4", "Mathematics 4", "SEC-G4-A-MATH4", "07:30", "08:30"),
    ("SCI4", "Science 4", "SEC-G4-A-SCI4", "09:45", "10:45"),
)
_ENROLLMENT_IDS = [
    "2f561c0b-a1cc-42b6-a67b-d2fccc40dc3c",
    "e528c053-f991-4466-bca6-d56271b41384",
    "6d0f24c3-de35-4288-84da-6b0d1ea8604b",
    "83c7e81f-aca7-4137-8f19-8ce1262b95b3",
    "8bb94d5d-e740-44e5-a4ae-298464ab72ee",
    "bf4fcdc0-4fae-4b6e-8f30-4131547cb660",
    "1aa3ff85-735c-43aa-8cb4-c5c9cff9d38c",
    "2e0fd762-c549-45ef-8422-4c4e482822f5",
]

SUBJECT_TO_ENROLL: JsonDict = {"subjectId": "COMP4", "scheduleId": "SCH456"}
REQUEST: JsonDict = {
    "studentId": "ELEM123",
    "schoolYearId": "SY2024-2025",
    "sectionId": "SEC-G4-A",
    "processedBy": "REGISTRAR_001",
}
SUBJECTS: list[JsonValue] = [
    {
        "code": code,
        "name": name,
        "units": 1,
        "enrollmentId": enrollment_id,
        "schedule": {
            "scheduleId": schedule,
            "days": list(_WEEKDAYS),
            "timeStart": start,
            "timeEnd": end,
            "room": "ELEM-104",
        },
    }
    for (code, name, schedule, start, end), enrollment_id in zip(
        _SUBJECTS, _ENROLLMENT_IDS, strict=True
    )
]
RESPONSE: JsonDict = {
    "success": True,
    "message": "Continuing student enrollment processed successfully",
    "data": {
        "enrollment": {
            "id": ENROLLMENT_ID,
            "status": "ENROLLED",
            "type": "K12",
            "educationLevel": "ELEMENTARY",
            "schoolYear": "SY2024-2025",
            "semester": None,
            "gradeLevel": 4,
            "previousGradeLevel": 4,
            "advanced": False,
            "section": "SEC-G4-A",
            "mode": "SECTION",
            "processedBy": "REGISTRAR_001",
            "processedAt": "2024-06-03T09:12:45.318204+08:00",
            "enrollmentIds": list(_ENROLLMENT_IDS),
        },
        "student": {
            "id": "c747fcfe-7a37-4798-93e9-02a4d145bd8e",
            "studentId": "ELEM123",
            "name": "Czarina Flores",
            "email": "elem123@sampleschool.edu.ph",
            "guardianEmail": "angelo.flores.elem123@gmail.com",
            "gradeLevel": 4,
            "educationLevel": "ELEMENTARY",
            "section": "SEC-G4-A",
            "track": None,
            "strand": None,
            "status": "ACTIVE",
        },
        "summary": {
            "studentInfo": {
                "id": "ELEM123",
                "name": "Czarina Flores",
                "email": "elem123@sampleschool.edu.ph",
                "gradeLevel": "4",
            },
            "enrollmentInfo": {
                "id": ENROLLMENT_ID,
                "status": "ENROLLED",
                "type": "CONTINUING",
                "totalUnits": 8,
                "totalSubjects": 8,
            },
            "subjects": list(SUBJECTS),
        },
    },
}

# `?dry_run=true` for JHS-3FAIL into SEC-G8-A: two standing rules broken at once (the real
# request answers only the first); the rules that passed are cut short here.
_OK: JsonDict = {"passed": True, "message": "OK", "details": {}}
DRY_RUN: JsonDict = {
    "success": True,
    "dry_run": True,
    "outcome": "REFUSED",
    "gradeLevel": 8,
    "checks": [
        {"rule": "ACTIVE_ENROLLMENT", **_OK},
        {
            "rule": "FAILED_SUBJECTS",
            "passed": False,
            "message": "Student has 3 failed subjects, exceeding the maximum allowed",
            "details": {
                "failedSubjects": ["ESP7", "MAPEH7", "TLE7"],
                "maxFailedSubjects": 2,
                "period": "YEAR",
            },
        },
        {"rule": "MIN_GPA", **_OK},
        {
            "rule": "CORE_SUBJECTS",
            "passed": False,
            "message": "Core subjects from previous level not completed",
            "details": {"coreSubjects": ["ESP7", "MAPEH7", "TLE7"]},
        },
        {"rule": "HOMEROOM_FULL", **_OK},
        {"rule": "CAPACITY", **_OK},
        {"rule": "PREREQUISITES", **_OK},
        {"rule": "TIMETABLE_CLASH", **_OK},
    ],
    "subjects": [
        {
            "subject": "MATH8",
            "scheduleId": "SEC-G8-A-MATH8",
            "outcome": "ENROLLED",
            "checks": [
                {"rule": "CAPACITY", **_OK},
                {"rule": "PREREQUISITES", **_OK},
                {"rule": "TIMETABLE_CLASH", **_OK},
            ],
        }
    ],
}
