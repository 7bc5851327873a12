// grade.h — `lab grade`, the course's grader (compiler/lab/grade.c; a whole
// class: grade_class.c; docs/instructor.md).
#ifndef LAB_GRADE_H
#define LAB_GRADE_H

#include <stdbool.h>
#include <stdio.h>

// Runs `lab grade` with the arguments after `grade`; returns the exit code.
int grade_main(int argc, char **argv);

// `lab grade --class DIR` (grade_class.c): each student folder under dir
// graded by a child `lab grade --json` (the lab at `lab`), jobs at a time,
// every run of theirs stopped after timeout_s seconds or max_output bytes;
// the gradebook written to out.csv, out-tests.csv and out.svg.
typedef struct GradeClass {
  const char *lab, *dir;
  const char *const *wanted;  // the exercises to grade (none: all)
  int nwanted, jobs, timeout_s;
  long max_output;
  const char *out;
} GradeClass;
int grade_class(const GradeClass *g);

// Helpers grade.c shares with grade_class.c.
void grade_csv_field(FILE *out, const char *s);               // quoted, quotes doubled (RFC 4180)
void grade_last_line(const char *s, char *out, size_t cap);  // the last line that is not empty
bool grade_is_dir(const char *path);

#endif
