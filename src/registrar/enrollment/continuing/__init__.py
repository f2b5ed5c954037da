"""K-12 continuing-student enrollment (seed 004): `POST /api/v2/enrollment/continuing/process`.

- Ids are the codes people use, or the ids the admin API returns: `studentId` a roll number,
  `schoolYearId` an AcademicYear code, `semesterId` a Term of that year (`SEM1` or its full
  code), `sectionId` a homeroom (StudentBatch) code, `subjectId` a Course code, `scheduleId` a
  CourseSection code, `processedBy` a username of the school; each also by its id.
- The rules are the school's `LevelPolicy` rows (standing.py decides, purely); a homeroom is
  full at its own `capacity`. By subjects, a full-year grade takes every core subject offered
  to it; Senior High keeps to its range of units instead.
- The student's grade is their record's; last period's marks (the previous school year, or the
  earlier semesters of this one) decide whether they go on. A student whose record still names
  the grade they completed is advanced to the next one; one already placed stays where they are.
- Remedial classes and summer programs are later COMPLETED enrollments of the same course in a
  section of their own, marked `REPEAT` or with notes starting `REMEDIAL` / `SUMMER`.
- Every subject goes through the enrollment engine in the request's transaction; any refusal
  rolls the whole request back. `enrollment.id` in the answer is the id of the audit event that
  records the processed request (the actor is the `processedBy` user).
"""
