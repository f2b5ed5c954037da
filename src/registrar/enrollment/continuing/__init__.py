"""K-12 continuing-student enrollment (seed 004): `POST /api/v2/enrollment/continuing/process`.

- Ids are the codes people use: `studentId` a roll number (or the student's id), `schoolYearId`
  an AcademicYear code, `semesterId` a Term of that year (`SEM1`, its full code, or its id),
  `sectionId` a homeroom (StudentBatch) code, `subjectId` a Course code, `scheduleId` a
  CourseSection code, `processedBy` a username (or user id) of the school.
- The rules are the school's `LevelPolicy` rows (standing.py decides, purely).
- The student's grade is their record's; last period's marks (the previous school year, or the
  earlier semesters of this one) decide whether they go on. A student whose record still names
  the grade they completed is advanced to the next one; one already placed stays where they are.
- Remedial classes and summer programs are later COMPLETED enrollments of the same course in a
  section of their own, marked `REPEAT` or with notes starting `REMEDIAL` / `SUMMER`.
- Every subject goes through the enrollment engine in the request's transaction; any refusal
  rolls the whole request back. `enrollment.id` in the answer is the id of the audit event that
  records the processed request (the actor is the `processedBy` user).
"""
