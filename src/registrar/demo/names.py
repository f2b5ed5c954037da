"""People's names: Telugu for the AP university, Filipino for the K-12 school."""

from __future__ import annotations

import random
from dataclasses import dataclass

TELUGU_MALE = (
    "Venkata Sai",
    "Srinivas",
    "Ravi Teja",
    "Naga Chaitanya",
    "Sai Kiran",
    "Mahesh",
    "Praveen",
    "Harsha Vardhan",
    "Vamsi Krishna",
    "Karthik",
    "Rohith",
    "Surya Teja",
    "Abhiram",
    "Manikanta",
    "Pavan Kalyan",
    "Siva Kumar",
    "Gopi Chand",
    "Anil Kumar",
    "Rajesh",
    "Chaitanya",
    "Lokesh",
    "Yaswanth",
    "Dinesh",
    "Bharath",
    "Hemanth",
    "Jaswanth",
    "Tarun",
    "Akhil",
    "Nikhil",
    "Sandeep",
    "Phani Kumar",
    "Raghu Ram",
    "Sravan",
    "Uday Kiran",
    "Vinay",
    "Sathvik",
    "Trinadh",
    "Koushik",
)
TELUGU_FEMALE = (
    "Lakshmi Prasanna",
    "Sravani",
    "Divya Sri",
    "Keerthi",
    "Harika",
    "Bhavana",
    "Sai Priya",
    "Anusha",
    "Mounika",
    "Swathi",
    "Pavani",
    "Navya",
    "Sahithi",
    "Tejaswini",
    "Sindhu",
    "Haritha",
    "Jyothi",
    "Ramya",
    "Sowmya",
    "Deepika",
    "Manasa",
    "Likhitha",
    "Varshini",
    "Madhuri",
    "Sirisha",
    "Pranathi",
    "Geethika",
    "Kavya",
    "Niharika",
    "Yamini",
    "Sneha",
    "Akshaya",
    "Vaishnavi",
    "Chandana",
    "Hima Bindu",
    "Supriya",
    "Tejasri",
    "Lasya",
)
TELUGU_SURNAMES = (
    "Reddy",
    "Naidu",
    "Rao",
    "Chowdary",
    "Varma",
    "Raju",
    "Sastry",
    "Sharma",
    "Goud",
    "Yadav",
    "Kumar",
    "Prasad",
    "Murthy",
    "Setty",
    "Konda",
    "Babu",
    "Nayak",
    "Pothula",
    "Kolli",
    "Gorantla",
    "Tummala",
    "Vemula",
    "Bandaru",
    "Kandula",
    "Yarlagadda",
    "Alluri",
    "Bollineni",
    "Chintalapati",
    "Dasari",
    "Gudivada",
    "Jampani",
    "Kakani",
    "Kothapalli",
    "Mandava",
    "Nallapati",
    "Paruchuri",
    "Ravipati",
    "Sunkara",
    "Talluri",
)
FILIPINO_MALE = (
    "Juan",
    "Jose",
    "Mark Anthony",
    "John Paul",
    "Miguel",
    "Gabriel",
    "Rafael",
    "Carlo",
    "Joshua",
    "Christian",
    "Angelo",
    "Paolo",
    "Jerome",
    "Kenneth",
    "Renz",
    "Nathaniel",
    "Adrian",
    "Bryan",
    "Francis",
    "Emmanuel",
    "Daniel",
    "Ramon",
    "Lorenzo",
    "Vincent",
)
FILIPINO_FEMALE = (
    "Maria",
    "Angelica",
    "Kristine",
    "Princess",
    "Mary Joy",
    "Andrea",
    "Patricia",
    "Camille",
    "Nicole",
    "Bea",
    "Jasmine",
    "Ella",
    "Sofia",
    "Althea",
    "Reign",
    "Trisha",
    "Janelle",
    "Rosalie",
    "Katrina",
    "Danica",
    "Liezl",
    "Marites",
    "Shaira",
    "Czarina",
)
FILIPINO_SURNAMES = (
    "Dela Cruz",
    "Santos",
    "Reyes",
    "Garcia",
    "Mendoza",
    "Bautista",
    "Villanueva",
    "Ramos",
    "Aquino",
    "Castillo",
    "Rivera",
    "Flores",
    "Gonzales",
    "Torres",
    "Navarro",
    "Domingo",
    "Salazar",
    "Mercado",
    "Pascual",
    "Manalo",
    "Soriano",
    "Tolentino",
    "Del Rosario",
    "Lopez",
)

# Shares of the reservation categories in an AP intake (roughly the state's quotas).
CATEGORY_WEIGHTS = {
    "OC": 30,
    "BC-A": 7,
    "BC-B": 10,
    "BC-C": 1,
    "BC-D": 7,
    "BC-E": 4,
    "SC": 15,
    "ST": 6,
    "EWS": 10,
}
CATEGORIES = tuple(CATEGORY_WEIGHTS)
_CATEGORY_CUMULATIVE = tuple(
    sum(list(CATEGORY_WEIGHTS.values())[: index + 1]) for index in range(len(CATEGORIES))
)


@dataclass(frozen=True)
class Person:
    """A generated person."""

    given: str
    surname: str
    gender: str  # "M" or "F"

    @property
    def name(self) -> str:
        """Given names then surname, as the portal shows them."""
        return f"{self.given} {self.surname}"

    def email_local(self) -> str:
        """`given.surname` in lower case without spaces, for an email address."""
        given = self.given.lower().replace(" ", "")
        surname = self.surname.lower().replace(" ", "")
        return f"{given}.{surname}"


def telugu_person(rng: random.Random) -> Person:
    """A Telugu student or teacher."""
    gender = "F" if rng.random() < 0.46 else "M"
    given = rng.choice(TELUGU_FEMALE if gender == "F" else TELUGU_MALE)
    return Person(given=given, surname=rng.choice(TELUGU_SURNAMES), gender=gender)


def filipino_person(rng: random.Random) -> Person:
    """A Filipino student or teacher."""
    gender = "F" if rng.random() < 0.5 else "M"
    given = rng.choice(FILIPINO_FEMALE if gender == "F" else FILIPINO_MALE)
    return Person(given=given, surname=rng.choice(FILIPINO_SURNAMES), gender=gender)


def category(rng: random.Random) -> str:
    """A reservation category drawn with the intake's weights."""
    return rng.choices(CATEGORIES, cum_weights=_CATEGORY_CUMULATIVE, k=1)[0]


def guardian_email(rng: random.Random, person: Person, tag: str, *, filipino: bool = False) -> str:
    """A parent's personal address, unique through the student's tag."""
    parent = rng.choice(FILIPINO_MALE if filipino else TELUGU_MALE)
    surname = person.surname.lower().replace(" ", "")
    return f"{parent.lower().replace(' ', '')}.{surname}.{tag.lower()}@gmail.com"
