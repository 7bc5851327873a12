// grade.h — `lab grade`, the course's grader (compiler/lab/grade.c,
// docs/instructor.md).
#ifndef LAB_GRADE_H
#define LAB_GRADE_H

// Runs `lab grade` with the arguments after `grade`; returns the exit code.
int grade_main(int argc, char **argv);

#endif
