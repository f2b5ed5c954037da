"""Course titles of the AP university's programs, semester by semester.

Each semester lists five theory courses, one lab (or practicum), and the electives offered.
Prerequisites follow the slots (see catalog.py); the overrides below name the ones that do not.
"""

from __future__ import annotations

Semester = tuple[tuple[str, ...], str, tuple[str, ...]]

_NO_ELECTIVES: tuple[str, ...] = ()


def _first_year(intro1: str, lab1: str, intro2: str, lab2: str) -> list[Semester]:
    """The common first year of every B.Tech branch, with the branch's own introductions."""
    return [
        (
            (
                intro1,
                "Engineering Mathematics I",
                "Engineering Physics",
                "English Communication Skills",
                "Basic Electrical Engineering",
            ),
            lab1,
            _NO_ELECTIVES,
        ),
        (
            (
                intro2,
                "Engineering Mathematics II",
                "Engineering Chemistry",
                "Engineering Graphics",
                "Environmental Science",
            ),
            lab2,
            _NO_ELECTIVES,
        ),
    ]


_SENIOR_COMMON = ("Professional Ethics", "Technical Seminar", "Comprehensive Viva")

CURRICULA: dict[str, list[Semester]] = {
    "CS": _first_year(
        "Introduction to Computing",
        "Computing Lab",
        "Problem Solving with Python",
        "Python Programming Lab",
    )
    + [
        (
            (
                "Programming Fundamentals",
                "Discrete Mathematics",
                "Digital Logic Design",
                "Probability and Statistics",
                "Computer Organization",
            ),
            "Object Oriented Programming Lab",
            _NO_ELECTIVES,
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
            _NO_ELECTIVES,
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
            ("Software Project Management", "Quantum Computing", *_SENIOR_COMMON),
            "Major Project",
            ("Edge Computing", "Augmented Reality", "DevOps"),
        ),
    ],
    "EC": _first_year(
        "Basic Electronics", "Electronics Workshop", "Network Analysis", "Networks Lab"
    )
    + [
        (
            (
                "Electronic Devices and Circuits",
                "Signals and Systems",
                "Digital Electronics",
                "Probability Theory and Random Processes",
                "Programming in C",
            ),
            "Electronic Devices and Circuits Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Analog Circuits",
                "Complex Variables and Transforms",
                "Electromagnetic Waves",
                "Control Systems",
                "Linear IC Applications",
            ),
            "Analog Circuits Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Analog Communications",
                "Digital Signal Processing",
                "Microprocessors and Microcontrollers",
                "Antennas and Wave Propagation",
                "Computer Architecture",
            ),
            "Digital Signal Processing Lab",
            ("Embedded Systems", "Digital Image Processing", "Optical Communications"),
        ),
        (
            (
                "Digital Communications",
                "VLSI Design",
                "Microwave Engineering",
                "Information Theory and Coding",
                "Data Communication Networks",
            ),
            "VLSI Lab",
            ("Satellite Communications", "Radar Systems", "Sensor Networks"),
        ),
        (
            (
                "Wireless Communications",
                "Embedded Real-Time Systems",
                "Cellular and Mobile Communications",
                "Low Power VLSI",
                "Management Science",
            ),
            "Microwave Lab",
            (
                "Machine Learning for Signal Processing",
                "Nano Electronics",
                "Biomedical Instruments",
            ),
        ),
        (
            ("5G Networks", "Cognitive Radio", *_SENIOR_COMMON),
            "Major Project",
            ("Speech Processing", "Mixed Signal Design", "Automotive Electronics"),
        ),
    ],
    "EE": _first_year(
        "Basic Electrical Circuits",
        "Electrical Workshop",
        "Electrical Circuit Analysis",
        "Circuits Lab",
    )
    + [
        (
            (
                "Electrical Machines I",
                "Electromagnetic Fields",
                "Electronic Devices",
                "Numerical Methods",
                "Thermal and Hydro Prime Movers",
            ),
            "Electrical Machines Lab I",
            _NO_ELECTIVES,
        ),
        (
            (
                "Electrical Machines II",
                "Power Systems I",
                "Control Systems",
                "Digital Electronics",
                "Electrical Measurements",
            ),
            "Electrical Machines Lab II",
            _NO_ELECTIVES,
        ),
        (
            (
                "Power Electronics",
                "Power Systems II",
                "Microprocessors and Microcontrollers",
                "Switchgear and Protection",
                "Signals and Systems",
            ),
            "Power Electronics Lab",
            ("Renewable Energy Sources", "High Voltage Engineering", "Electrical Machine Design"),
        ),
        (
            (
                "Power System Analysis",
                "Electrical Drives",
                "Power System Protection",
                "Digital Signal Processing",
                "Electrical Instrumentation",
            ),
            "Power Systems Lab",
            ("Smart Grid", "Energy Auditing", "HVDC Transmission"),
        ),
        (
            (
                "Power System Operation and Control",
                "Utilization of Electrical Energy",
                "FACTS Controllers",
                "Electric Vehicles",
                "Management Science",
            ),
            "Power System Simulation Lab",
            ("Soft Computing", "Power Quality", "Distributed Generation"),
        ),
        (
            ("Energy Storage Systems", "Industrial Automation", *_SENIOR_COMMON),
            "Major Project",
            ("Special Electrical Machines", "Restructured Power Systems", "Solar Photovoltaics"),
        ),
    ],
    "ME": _first_year(
        "Engineering Mechanics",
        "Workshop Practice",
        "Material Science",
        "Manufacturing Practice Lab",
    )
    + [
        (
            (
                "Strength of Materials",
                "Thermodynamics",
                "Manufacturing Processes",
                "Kinematics of Machinery",
                "Fluid Mechanics",
            ),
            "Material Testing Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Machine Drawing",
                "Applied Thermodynamics",
                "Dynamics of Machinery",
                "Metal Cutting and Machine Tools",
                "Hydraulic Machines",
            ),
            "Fluid Mechanics Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Design of Machine Elements",
                "Heat Transfer",
                "Metrology",
                "Operations Research",
                "Internal Combustion Engines",
            ),
            "Heat Transfer Lab",
            ("Automobile Engineering", "Refrigeration and Air Conditioning", "Composite Materials"),
        ),
        (
            (
                "Finite Element Methods",
                "Turbomachinery",
                "CAD/CAM",
                "Industrial Engineering",
                "Robotics",
            ),
            "CAD/CAM Lab",
            ("Additive Manufacturing", "Power Plant Engineering", "Mechatronics"),
        ),
        (
            (
                "Design of Transmission Elements",
                "Computational Fluid Dynamics",
                "Production Planning and Control",
                "Unconventional Machining",
                "Management Science",
            ),
            "Simulation Lab",
            ("Tribology", "Non-Destructive Testing", "Renewable Energy Engineering"),
        ),
        (
            ("Industrial Robotics", "Product Design", *_SENIOR_COMMON),
            "Major Project",
            ("Nano Technology", "Supply Chain Management", "Vibration Analysis"),
        ),
    ],
    "CE": _first_year(
        "Engineering Mechanics",
        "Civil Engineering Workshop",
        "Building Materials and Construction",
        "Surveying Lab",
    )
    + [
        (
            (
                "Strength of Materials",
                "Surveying",
                "Fluid Mechanics",
                "Engineering Geology",
                "Building Planning and Drawing",
            ),
            "Strength of Materials Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Concrete Technology",
                "Structural Analysis I",
                "Hydraulics and Hydraulic Machinery",
                "Transportation Engineering I",
                "Environmental Engineering I",
            ),
            "Concrete Technology Lab",
            _NO_ELECTIVES,
        ),
        (
            (
                "Design of Reinforced Concrete Structures",
                "Advanced Surveying",
                "Geotechnical Engineering I",
                "Water Resources Engineering",
                "Transportation Engineering II",
            ),
            "Geotechnical Engineering Lab",
            ("Ground Improvement Techniques", "Remote Sensing and GIS", "Traffic Engineering"),
        ),
        (
            (
                "Design of Steel Structures",
                "Structural Analysis II",
                "Geotechnical Engineering II",
                "Environmental Engineering II",
                "Estimation and Costing",
            ),
            "Environmental Engineering Lab",
            ("Prestressed Concrete", "Irrigation Engineering", "Air Pollution Control"),
        ),
        (
            (
                "Advanced Reinforced Concrete Design",
                "Construction Management",
                "Bridge Engineering",
                "Earthquake Resistant Design",
                "Management Science",
            ),
            "Computer Aided Design Lab",
            (
                "Finite Element Analysis",
                "Urban Planning",
                "Repair and Rehabilitation of Structures",
            ),
        ),
        (
            ("Pavement Design", "Green Buildings", *_SENIOR_COMMON),
            "Major Project",
            ("Coastal Engineering", "Disaster Management", "Smart Cities"),
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
            _NO_ELECTIVES,
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
            _NO_ELECTIVES,
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
            _NO_ELECTIVES,
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
            _NO_ELECTIVES,
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
