"""Course titles of the B.Tech branches other than Computer Science, and the shared first year."""

from __future__ import annotations

Semester = tuple[tuple[str, ...], str, tuple[str, ...]]

NO_ELECTIVES: tuple[str, ...] = ()


def first_year(intro1: str, lab1: str, intro2: str, lab2: str) -> list[Semester]:
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
            NO_ELECTIVES,
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
            NO_ELECTIVES,
        ),
    ]


SENIOR_COMMON = ("Professional Ethics", "Technical Seminar", "Comprehensive Viva")

ENGINEERING: dict[str, list[Semester]] = {
    "EC": [
        *first_year(
            "Basic Electronics", "Electronics Workshop", "Network Analysis", "Networks Lab"
        ),
        (
            (
                "Electronic Devices and Circuits",
                "Signals and Systems",
                "Digital Electronics",
                "Probability Theory and Random Processes",
                "Programming in C",
            ),
            "Electronic Devices and Circuits Lab",
            NO_ELECTIVES,
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
            NO_ELECTIVES,
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
            ("5G Networks", "Cognitive Radio", *SENIOR_COMMON),
            "Major Project",
            ("Speech Processing", "Mixed Signal Design", "Automotive Electronics"),
        ),
    ],
    "EE": [
        *first_year(
            "Basic Electrical Circuits",
            "Electrical Workshop",
            "Electrical Circuit Analysis",
            "Circuits Lab",
        ),
        (
            (
                "Electrical Machines I",
                "Electromagnetic Fields",
                "Electronic Devices",
                "Numerical Methods",
                "Thermal and Hydro Prime Movers",
            ),
            "Electrical Machines Lab I",
            NO_ELECTIVES,
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
            NO_ELECTIVES,
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
            ("Energy Storage Systems", "Industrial Automation", *SENIOR_COMMON),
            "Major Project",
            ("Special Electrical Machines", "Restructured Power Systems", "Solar Photovoltaics"),
        ),
    ],
    "ME": [
        *first_year(
            "Engineering Mechanics",
            "Workshop Practice",
            "Material Science",
            "Manufacturing Practice Lab",
        ),
        (
            (
                "Strength of Materials",
                "Thermodynamics",
                "Manufacturing Processes",
                "Kinematics of Machinery",
                "Fluid Mechanics",
            ),
            "Material Testing Lab",
            NO_ELECTIVES,
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
            NO_ELECTIVES,
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
            ("Industrial Robotics", "Product Design", *SENIOR_COMMON),
            "Major Project",
            ("Nano Technology", "Supply Chain Management", "Vibration Analysis"),
        ),
    ],
    "CE": [
        *first_year(
            "Engineering Mechanics",
            "Civil Engineering Workshop",
            "Building Materials and Construction",
            "Surveying Lab",
        ),
        (
            (
                "Strength of Materials",
                "Surveying",
                "Fluid Mechanics",
                "Engineering Geology",
                "Building Planning and Drawing",
            ),
            "Strength of Materials Lab",
            NO_ELECTIVES,
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
            NO_ELECTIVES,
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
            ("Pavement Design", "Green Buildings", *SENIOR_COMMON),
            "Major Project",
            ("Coastal Engineering", "Disaster Management", "Smart Cities"),
        ),
    ],
}
