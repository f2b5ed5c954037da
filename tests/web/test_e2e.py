"""The pages as a person uses them: headless Chromium (Debian's, driven by Playwright) on a
real server over a small demo in PostgreSQL.

A student signs in, reads the week's timetable, enrolls in an elective, is waitlisted in a
full section and drops; another takes a lecture with the lab it requires, and drops both; a
registrar opens the divisions, a chart, a roster (and its CSV), and
runs a bulk assignment after its preview. Each main page is kept as a screenshot in
tests/artifacts/screenshots (the test run prints the folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from registrar.academics.models import Course, CourseSection, SectionType
from registrar.db import Database
from registrar.demo import load_demo
from tests import dbs
from tests.live import LiveServer, serve_live

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TENANT = "ap-university"
FULL = "CS341-CS-2024-3-A"  # made full before the tests: 22CS001 can only queue for it
WITH_LAB = "CS343-CS-2024-3-A"  # given a lab before the tests, which its course requires
LAB = f"{WITH_LAB}-L1"

pytestmark = pytest.mark.postgres


def _fill(url: str, section: str) -> None:
    """Take the section's free seats away, as a registrar lowering its capacity would."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        connection.execute(
            "UPDATE course_sections SET capacity = enrolled_count WHERE code = %s", (section,)
        )


def _give_a_lab(database: Database, lecture_code: str) -> None:
    """A LAB linked to the lecture, without which its course is no longer taken."""
    with database.session() as session:
        lecture = session.scalars(
            select(CourseSection).where(CourseSection.code == lecture_code)
        ).one()
        session.get_one(Course, lecture.course_id).requires_linked_section = True
        session.add(
            CourseSection(
                institution_id=lecture.institution_id,
                course_id=lecture.course_id,
                term_id=lecture.term_id,
                code=f"{lecture_code}-L1",
                section_type=SectionType.LAB,
                capacity=20,
                linked_to_section_id=lecture.id,
            )
        )


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """The app on a 60-student demo of its own (what the tests change stays there)."""
    url = dbs.create_postgres_database("registrar_e2e")
    database: Database = dbs.migrated(url)
    try:
        load_demo(database, students=60, seed=5)
        _fill(url, FULL)
        _give_a_lab(database, WITH_LAB)
        with serve_live(database) as server:
            yield server
    finally:
        database.dispose()
        dbs.drop_postgres_database(url)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium; never a browser download. CI installs it (.ci/run)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: apt-get install -y chromium")
        pytest.skip("/usr/bin/chromium is missing (apt-get install -y chromium)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(chromium: Browser, width: int, height: int) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text))
    yield page
    context.close()
    # A page that breaks its own policy (an inline style, a script) says so on the console.
    assert problems == []


@pytest.fixture
def phone(chromium: Browser) -> Iterator[Page]:
    """A phone-sized window: 360 px wide."""
    yield from _page(chromium, 360, 780)


@pytest.fixture
def desk(chromium: Browser) -> Iterator[Page]:
    """A registrar's screen."""
    yield from _page(chromium, 1280, 900)


def _shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def _sign_in(
    page: Page, live: LiveServer, username: str, password: str, start: str, shot: str = ""
) -> None:
    page.goto(live.url + start)
    expect(page).to_have_url(re.compile(r"/sign-in"))
    page.get_by_label("Institution").select_option(TENANT)
    page.get_by_label("Roll number or username").fill(username)
    page.get_by_label("Password").fill(password)
    if shot:
        _shot(page, shot)
    page.get_by_role("button", name="Sign in").click()


def test_a_student_enrolls_queues_and_drops(live: LiveServer, phone: Page) -> None:
    page = phone
    _sign_in(page, live, "22CS001", "student123", "/", shot="00-sign-in")
    expect(page.get_by_role("heading", name="This term")).to_be_visible()
    timetable = page.locator("table.timetable")
    expect(timetable).to_contain_text("CS301")
    expect(page.get_by_text("credits enrolled")).to_be_visible()
    _shot(page, "01-student-this-term")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").click()
    expect(page.get_by_role("heading", name="Courses you can take")).to_be_visible()
    _shot(page, "02-student-courses")

    page.get_by_role("button", name="Enroll in CS342").click()
    expect(page.get_by_role("status")).to_contain_text("Successfully enrolled in CS342")

    full = page.locator(
        "section", has=page.get_by_role("button", name="Join the waitlist for CS341")
    )
    expect(full).to_contain_text("0 of")
    full.get_by_role("button").click()
    queued = page.locator("section", has_text="on the waitlist")
    expect(queued).to_contain_text("added to the waitlist")
    expect(queued).to_contain_text("You are #1 on the waitlist")
    _shot(page, "03-student-waitlisted")

    page.get_by_role("link", name="This term").click()
    expect(timetable).to_contain_text("CS342")
    expect(page.get_by_role("heading", name="Waitlists")).to_be_visible()
    _shot(page, "04-student-this-term-after")

    page.get_by_role("link", name="Drop CS342").click()
    expect(page.get_by_role("heading", name="Drop CS342?")).to_be_visible()
    page.get_by_label("Reason (optional)").fill("Too many lab hours this semester")
    _shot(page, "05-student-drop-confirm")
    page.get_by_role("button", name="Drop CS342").click()
    expect(page.get_by_role("status")).to_contain_text("Successfully dropped CS342")
    expect(timetable).not_to_contain_text("CS342")

    page.get_by_role("link", name="Grades & history").click()
    expect(page.get_by_role("heading", name="History", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Dropped CS342")
    _shot(page, "06-student-grades-history")


def test_a_student_takes_a_lecture_with_its_lab_and_drops_both(
    live: LiveServer, phone: Page
) -> None:
    page = phone
    _sign_in(page, live, "22CS002", "student123", "/enroll")
    expect(page.get_by_role("heading", name="Courses you can take")).to_be_visible()
    lecture = page.locator("section", has=page.get_by_role("button", name="Enroll in CS343"))
    expect(lecture.get_by_role("group", name="Lab (required)")).to_be_visible()
    lecture.get_by_role("radio", name=re.compile(LAB)).check()
    _shot(page, "07-student-lecture-with-lab")
    lecture.get_by_role("button", name="Enroll in CS343").click()
    expect(page.get_by_role("status")).to_contain_text("Successfully enrolled in CS343")
    expect(page.get_by_role("status")).to_contain_text("Also enrolled in the lab")

    page.get_by_role("link", name="This term").click()
    expect(page.get_by_role("link", name="Drop CS343 lab…")).to_be_visible()
    page.get_by_role("link", name="Drop CS343…", exact=True).click()
    expect(page.get_by_role("heading", name="Drop CS343?")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Your linked section goes with it")
    expect(page.locator("main")).to_contain_text(f"{LAB} (lab, enrolled)")
    _shot(page, "08-student-drop-lecture-with-lab")
    page.get_by_role("button", name="Drop CS343").click()
    expect(page.get_by_role("status")).to_contain_text("Also dropped the lab")
    expect(page.locator("main")).not_to_contain_text("Drop CS343")


def test_a_registrar_reads_the_office_and_moves_students(live: LiveServer, desk: Page) -> None:
    page = desk
    _sign_in(page, live, "registrar", "registrar123", "/office/")
    expect(page.get_by_role("heading", name="Divisions")).to_be_visible()
    department = page.locator("details.top", has_text="CS · Computer Science")
    department.locator("summary").first.click()
    program = department.locator("details.node > summary").first
    expect(program).to_be_visible()
    program.click()
    year = department.locator("summary", has_text=re.compile(r"^Year 3")).first
    year.click()
    expect(department.get_by_role("link", name="Semester 5")).to_be_visible()
    _shot(page, "10-office-divisions")

    page.get_by_role("link", name="Statistics").click()
    charts = page.locator("figure.chart svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 5
    _shot(page, "11-office-statistics")

    page.get_by_role("link", name="Sections").click()
    page.get_by_label("Section code").fill(FULL)
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name=FULL).click()
    expect(page.get_by_role("heading", name=f"Roster of {FULL}")).to_be_visible()
    _shot(page, "12-office-roster")
    link = page.get_by_role("link", name="Download the roster (CSV)").get_attribute("href")
    csv = page.request.get(f"{live.url}{link}")  # the page's own cookies
    assert csv.ok
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text().startswith("roll_number,name,email,status")

    page.get_by_role("link", name="Bulk assignment").click()
    page.locator("#from_department").select_option(label="CS · Computer Science")
    page.locator("#from_year_of_study").fill("1")
    page.locator("#from_semester").fill("1")
    page.locator("#from_section").fill("A")
    page.locator("#to_section").fill("B")
    page.get_by_role("button", name="Preview who matches").click()
    preview = page.get_by_role("heading", name=re.compile(r"Preview: \d+ students? match"))
    expect(preview).to_be_visible()
    matched = int(re.findall(r"\d+", preview.inner_text())[0])
    assert matched > 0
    _shot(page, "13-office-bulk-preview")
    page.get_by_role("button", name=re.compile(r"Move these")).click()
    expect(page.get_by_role("heading", name="Bulk assignment done")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(f"{matched} student")
    _shot(page, "14-office-bulk-done")
