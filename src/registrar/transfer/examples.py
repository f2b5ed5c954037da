"""Examples of the CSV imports and exports for the OpenAPI document, on the demo university.

Each file imports as shown into a fresh `registrar demo` (seed 7), and each report is what
that real run answers; the exports are the first lines of batch CS-2024-3-A's.
"""

from __future__ import annotations

from pydantic.config import JsonDict

IMPORTS: dict[str, str] = {
    "students": "roll_number,name,email,gender,category,batch_code,password\n"
    "22CS062,Pavan Kalyan Gorantla,22cs062@apu.edu.in,M,OC,CS-2024-3-A,student123\n"
    "22CS063,Sirisha Katragadda,22cs063@apu.edu.in,F,BC-D,CS-2024-3-A,student123\n",
    "courses": "code,title,credits,department_code,prerequisites\n"
    "CS454,Speech Processing,3,CS,CS441\n"
    "CS455,Generative AI,3,CS,CS402;CS454\n",
    "sections": "course_code,term_code,section_code,section_type,capacity,reserve_limit,"
    "faculty_code,batch_code,timetable\n"
    "CS342,2024-2025-ODD,CS342-C,LECTURE,60,10,CSF016,,"
    "TUE 15:00-16:30 CS-102; THU 15:00-16:30 CS-102\n",
}
_WRITTEN: JsonDict = {"dry_run": False, "ok": True, "error_count": 0, "errors": []}
REPORTS: dict[str, JsonDict] = {
    "students": {
        "kind": "students",
        **_WRITTEN,
        "rows": 2,
        "valid_rows": 2,
        "created": {"students": 2, "logins": 2},
        "auto_enrollment": {"ENROLLED": 8, "REFUSED": 4},
    },
    "courses": {
        "kind": "courses",
        **_WRITTEN,
        "rows": 2,
        "valid_rows": 2,
        "created": {"courses": 2, "prerequisites": 3},
        "auto_enrollment": {},
    },
    "sections": {
        "kind": "sections",
        **_WRITTEN,
        "rows": 1,
        "valid_rows": 1,
        "created": {"sections": 1, "timetable_slots": 2},
        "auto_enrollment": {},
    },
}
SECTION_ROSTER = (
    "roll_number,name,email,status,enrollment_type,waitlist_position,grade,grade_points,"
    "attendance_percentage\r\n"
    "22CS001,Jyothi Paruchuri,22cs001@apu.edu.in,ENROLLED,REGULAR,,,,89.7\r\n"
    "22CS002,Venkata Sai Tummala,22cs002@apu.edu.in,ENROLLED,REGULAR,,,,79.7\r\n"
    "22CS003,Abhiram Sastry,22cs003@apu.edu.in,ENROLLED,REGULAR,,,,73.4\r\n"
)
BATCH_ENROLLMENTS = (
    "roll_number,name,email,student_status,term_code,course_code,course_title,credits,"
    "section_code,status,enrollment_type,waitlist_position,grade,attendance_percentage\r\n"
    "22CS001,Jyothi Paruchuri,22cs001@apu.edu.in,ACTIVE,2024-2025-ODD,CS301,"
    "Data Structures and Algorithms,4,CS301-CS-2024-3-A,ENROLLED,REGULAR,,,89.7\r\n"
    "22CS001,Jyothi Paruchuri,22cs001@apu.edu.in,ACTIVE,2024-2025-ODD,CS302,"
    "Database Management Systems,4,CS302-CS-2024-3-A,ENROLLED,REGULAR,,,83.4\r\n"
    "22CS002,Venkata Sai Tummala,22cs002@apu.edu.in,ACTIVE,2024-2025-ODD,CS301,"
    "Data Structures and Algorithms,4,CS301-CS-2024-3-A,ENROLLED,REGULAR,,,79.7\r\n"
)
