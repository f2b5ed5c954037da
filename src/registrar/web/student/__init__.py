"""The student's pages: this term, the courses they may take, grades and history."""
