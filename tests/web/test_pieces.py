"""The pages' pure parts: the timetable grid, the charts' geometry, refusals in words."""

from __future__ import annotations

from datetime import time

from registrar.web import charts, timetable
from registrar.web.words import history_words, refusal_lines, refusal_text


def _meeting(
    code: str, day: str, start: int, end: int, *, waitlisted: bool = False
) -> timetable.Meeting:
    return timetable.Meeting(code, code, day, time(start), time(end, 30), "CS-101", waitlisted)


def test_the_grid_spans_the_hours_of_the_week_and_places_each_meeting_by_its_start() -> None:
    grid = timetable.build(
        [_meeting("CS301", "MONDAY", 9, 10), _meeting("CS306", "FRIDAY", 13, 16)]
    )
    assert grid.days == ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
    assert grid.hours == tuple(range(9, 17))
    assert [p.meeting.course_code for p in grid.at("MONDAY", 9)] == ["CS301"]
    assert grid.at("MONDAY", 10) == []
    assert grid.clashes == ()


def test_overlapping_meetings_are_marked_with_each_other() -> None:
    grid = timetable.build(
        [
            _meeting("CS301", "TUESDAY", 9, 10),
            _meeting("CS302", "TUESDAY", 10, 11),  # 10:00-11:30 overlaps 9:00-10:30
            _meeting("CS303", "TUESDAY", 11, 12),  # 11:00 overlaps CS302 too
        ]
    )
    assert grid.clashes == (("TUESDAY", "CS301", "CS302"), ("TUESDAY", "CS302", "CS303"))
    assert grid.at("TUESDAY", 10)[0].clashes_with == ["CS301", "CS303"]


def test_a_waitlisted_meeting_is_shown_but_never_clashes() -> None:
    grid = timetable.build(
        [_meeting("CS301", "MONDAY", 9, 10), _meeting("CS341", "MONDAY", 9, 10, waitlisted=True)]
    )
    assert grid.clashes == ()
    assert len(grid.at("MONDAY", 9)) == 2


def test_a_saturday_class_adds_saturday_and_an_empty_week_has_a_day() -> None:
    assert timetable.build([_meeting("ME101", "SATURDAY", 9, 10)]).days[-1] == "SATURDAY"
    assert timetable.build([]).hours == tuple(range(9, 17))


def test_bars_scale_to_the_largest_value_and_describe_themselves() -> None:
    chart = charts.bar_chart("x", "By year", [("Year 1", 10), ("Year 2", 5), ("Year 3", 0)])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0
    assert chart.plot_x + widths[0] < chart.width
    assert "Year 1 10, Year 2 5, Year 3 0 (total 15)" in chart.description
    percent = charts.bar_chart("y", "Fill", [("A", 50)], unit="%", maximum=100)
    assert percent.bars[0].value_text == "50%"


def test_refusals_read_as_sentences() -> None:
    details = {
        "missing_prerequisites": [{"course_code": "CS204", "course_title": "Probability"}],
        "clashes_with": [
            {
                "course_code": "CS301",
                "day": "MONDAY",
                "start_time": "09:00:00",
                "end_time": "10:30:00",
            }
        ],
    }
    assert list(refusal_lines(details)) == [
        "Complete CS204 Probability first",
        "Clashes with CS301 on Monday 09:00–10:30",
    ]
    limit = {"current_credits": 28, "requested_credits": 3, "max_credits": 30}
    assert refusal_text("Credit limit exceeded for this semester", limit) == (
        "Credit limit exceeded for this semester: 28 credits held + 3 would pass the limit of 30"
    )
    assert history_words("enrollment.waitlist") == "Joined the waitlist for"
    assert history_words("something.new_here") == "Something new here"
