"""Course titles of the AP university's programs, semester by semester.

Each semester lists five theory courses, one lab (or practicum), and the electives offered.
Prerequisites follow the slots (see catalog.py); the overrides below name the ones that do not.
"""

from __future__ import annotations

from registrar.demo.curricula_branches import (
    ENGINEERING,
    NO_ELECTIVES,
    SENIOR_COMMON,
    Semester,
    first_year,
)

CURRICULA: dict[str, list[Semester]] = {
    **ENGINEERING,
    "CS": [
        *first_year(
            "Introduction to Computing",
            "Computing Lab",
            "Problem Solving with Python",
            "Python Programming Lab",
        ),
        (
            (
                "Programming Fundamentals",
                "Discrete Mathematics",
                "Digital Logic Design",
                "Probability and Statistics",
                "Computer Organization",
            ),
            "Object Oriented Programming Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Object Oriented Programming with Java",
                "Numerical Methods",
                "Operating Systems",
                "Software Engineering",
                "Microprocessors and Interfacing",
            ),
            "Operating Systems Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Data Structures and Algorithms",
                "Database Management Systems",
                "Computer Networks",
                "Compiler Design",
                "Web Technologies",
            ),
            "Database Management Systems Lab",
            ("Artificial Intelligence", "Cloud Computing", "Cryptography and Network Security"),
        ),
        (
            (
                "Design and Analysis of Algorithms",
                "Machine Learning",
                "Object Oriented Analysis and Design",
                "Distributed Systems",
                "Information Security",
            ),
            "Machine Learning Lab",
            ("Data Mining", "Internet of Things", "Mobile Application Development"),
        ),
        (
            (
                "Big Data Analytics",
                "Deep Learning",
                "Cyber Security",
                "Human Computer Interaction",
                "Management Science",
            ),
            "Big Data Lab",
            ("Natural Language Processing", "Blockchain Technology", "Computer Vision"),
        ),
        (
            ("Software Project Management", "Quantum Computing", *SENIOR_COMMON),
            "Major Project",
            ("Edge Computing", "Augmented Reality", "DevOps"),
        ),
    ],
    "MCA": [
        (
            (
                "Programming in C",
                "Discrete Mathematics",
                "Computer Organization",
                "Accounting and Financial Management",
                "Operating Systems",
            ),
            "C Programming Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Data Structures",
                "Database Management Systems",
                "Object Oriented Programming with Java",
                "Computer Networks",
                "Software Engineering",
            ),
            "Java and DBMS Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Design and Analysis of Algorithms",
                "Data Science with Python",
                "Web Technologies",
                "Cloud Computing",
                "Artificial Intelligence",
            ),
            "Web Technologies Lab",
            ("Machine Learning", "Cyber Security", "Mobile Application Development"),
        ),
        (
            (
                "Big Data Analytics",
                "Internet of Things",
                "DevOps",
                "Project Management",
                "Technical Seminar",
            ),
            "Major Project",
            ("Deep Learning", "Blockchain Technology", "Natural Language Processing"),
        ),
    ],
    "MBA": [
        (
            (
                "Management and Organisational Behaviour",
                "Managerial Economics",
                "Accounting for Managers",
                "Business Statistics",
                "Business Communication",
            ),
            "Business Analytics Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Human Resource Management",
                "Marketing Management",
                "Financial Management",
                "Operations Management",
                "Research Methodology",
            ),
            "Spreadsheet Modelling Lab",
            NO_ELECTIVES,
        ),
        (
            (
                "Strategic Management",
                "International Business",
                "Entrepreneurship Development",
                "Legal Aspects of Business",
                "Management Information Systems",
            ),
            "Summer Internship Project",
            (
                "Investment Analysis and Portfolio Management",
                "Digital Marketing",
                "Talent Management",
            ),
        ),
        (
            (
                "Corporate Governance",
                "Supply Chain Management",
                "Business Ethics",
                "Project Management",
                "Comprehensive Viva",
            ),
            "Dissertation",
            ("Financial Derivatives", "Consumer Behaviour", "Performance Management"),
        ),
    ],
}

# Prerequisites that the slot rule would not give (course code -> prerequisite codes).
OVERRIDES: dict[str, tuple[str, ...]] = {
    "CS302": ("CS201",),  # the seed: DBMS needs Programming Fundamentals
    "CS341": ("CS204",),  # Artificial Intelligence needs Probability and Statistics
    "CS342": ("CS213",),  # Cloud Computing needs Operating Systems
    "CS343": ("CS202",),  # Cryptography needs Discrete Mathematics
    "CS402": ("CS312",),  # Deep Learning needs Machine Learning
    "CS441": ("CS312",),  # NLP needs Machine Learning
}
