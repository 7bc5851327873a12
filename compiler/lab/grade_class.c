// grade_class.c — `lab grade --class DIR`: a whole class's submissions
// graded side by side into a gradebook (docs/instructor.md). One student's
// grading is grade.c's, run as a child `lab grade --json`.
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "grade.h"
#include "json.h"
#include "proc.h"
#include "xalloc.h"

// Every folder under DIR is one student's submission: its exercises are in
// STUDENT/examples/exercises (a whole checkout) or STUDENT itself. Each
// student is graded by a child `lab grade --dir … --json`, JOBS at a time
// (threads, each waiting on its child), with the per-run limits lowered so
// that a program that loops or floods costs seconds, not minutes; it scores
// zero on that test, the reason in the details. Then the gradebook.

typedef struct Student {
  char *name, *root;
  Proc run;
  bool ran;
} Student;

typedef struct ClassJob {
  const char *lab;  // this lab, which grades each student
  Student *st;
  int n;
  const char *const *wanted;
  int nwanted;
  int next;  // the next student to grade, under lock
  pthread_mutex_t lock;
  char timeout_env[64], output_env[64];
} ClassJob;

static void *class_worker(void *arg) {
  ClassJob *j = arg;
  for (;;) {
    pthread_mutex_lock(&j->lock);
    int i = j->next < j->n ? j->next++ : -1;
    pthread_mutex_unlock(&j->lock);
    if (i < 0) return NULL;
    Student *st = &j->st[i];
    char *argv[80];
    int k = 0;
    argv[k++] = (char *)j->lab;
    argv[k++] = "grade";
    argv[k++] = "--dir";
    argv[k++] = st->root;
    argv[k++] = "--json";
    for (int w = 0; w < j->nwanted && k < 78; w++) argv[k++] = (char *)j->wanted[w];
    argv[k] = NULL;
    const char *env[] = {j->timeout_env, j->output_env, NULL};
    // The child's own runs are limited; this guard only catches a grader
    // that never ends (it cannot: every run it starts is limited).
    ProcOpts o = {.env = env, .timeout_s = 3600, .max_output = 16L << 20};
    st->ran = proc_run(argv, &o, &st->run);
  }
}

// The string value of "key" in one line of our own JSON (json_write_str's
// escapes undone), into out; false if absent.
static bool json_line_str(const char *line, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\": \"", key);
  const char *p = strstr(line, pat);
  if (!p) return false;
  p += strlen(pat);
  size_t n = 0;
  for (; *p && *p != '"' && n + 1 < cap; p++) {
    if (*p == '\\' && p[1]) {
      p++;
      char c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
      if (*p == 'u' && p[1] && p[2] && p[3] && p[4]) c = '?', p += 4;  // \u00XX: a control byte
      out[n++] = c;
    } else {
      out[n++] = *p;
    }
  }
  out[n] = '\0';
  return true;
}

static int cmp_students(const void *a, const void *b) {
  return strcmp(((const Student *)a)->name, ((const Student *)b)->name);
}

// One column of the gradebook: a test of an exercise.
typedef struct Column {
  char *exercise, *test;
  int max;
} Column;

static int column_of(Column **cols, int *ncols, const char *ex, const char *test, int max) {
  for (int i = 0; i < *ncols; i++)
    if (strcmp((*cols)[i].exercise, ex) == 0 && strcmp((*cols)[i].test, test) == 0) return i;
  *cols = rt_xrealloc(*cols, (size_t)(*ncols + 1) * sizeof **cols);
  (*cols)[*ncols] = (Column){rt_xstrdup(ex), rt_xstrdup(test), max};
  return (*ncols)++;
}

// The scores' histogram, an SVG of its own: ten bins of the percentage.
static bool write_histogram(const char *path, const double *pct, int n, const char *title) {
  FILE *f = fopen(path, "w");
  if (!f) return false;
  int bins[10] = {0}, most = 1;
  for (int i = 0; i < n; i++) {
    int b = (int)(pct[i] / 10);
    if (b > 9) b = 9;
    if (b < 0) b = 0;
    if (++bins[b] > most) most = bins[b];
  }
  const int W = 600, H = 300, left = 40, bottom = 250, top = 56, bw = 48;
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
             "font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H);
  fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H);
  fputs("<text x=\"300\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">", f);
  for (const char *c = title; *c; c++) {
    if (*c == '<') fputs("&lt;", f);
    else if (*c == '&') fputs("&amp;", f);
    else fputc(*c, f);
  }
  fputs("</text>\n", f);
  for (int b = 0; b < 10; b++) {
    int h = (bottom - top) * bins[b] / most, x = left + b * (bw + 4);
    fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#4a7bd0\"><title>%d-%d%%: %d</title></rect>\n",
            x, bottom - h, bw, h, b * 10, b * 10 + 10, bins[b]);
    if (bins[b]) fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", x + bw / 2, bottom - h - 4, bins[b]);
    fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n", x, bottom + 16, b * 10);
  }
  fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">100%%</text>\n", left + 10 * (bw + 4) - 4, bottom + 16);
  fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, bottom, left + 10 * (bw + 4), bottom);
  fprintf(f, "<text x=\"300\" y=\"%d\" text-anchor=\"middle\">score (%% of the maximum); bar height: students</text>\n",
          bottom + 40);
  fputs("</svg>\n", f);
  return fclose(f) == 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int grade_class(const GradeClass *g) {
  const char *dir = g->dir, *out = g->out;
  int jobs = g->jobs;
  DIR *d = opendir(dir);
  if (!d) {
    fprintf(stderr, "lab grade: cannot open %s: %s\n", dir, strerror(errno));
    return EXIT_USAGE;
  }
  Student *st = NULL;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char p[8448], ex[8704];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    if (!grade_is_dir(p)) continue;
    snprintf(ex, sizeof ex, "%s/examples/exercises", p);
    st = rt_xrealloc(st, (size_t)(n + 1) * sizeof *st);
    st[n++] = (Student){rt_xstrdup(e->d_name), rt_xstrdup(grade_is_dir(ex) ? ex : p), {0}, false};
  }
  closedir(d);
  char book[9000];
  snprintf(book, sizeof book, "%s.csv", out);
  if (n == 0 || cli_output("grade", book) != EXIT_OK) {
    if (n == 0) fprintf(stderr, "lab grade: no student folders in %s\n", dir);
    for (int i = 0; i < n; i++) free(st[i].name), free(st[i].root);
    free(st);
    return EXIT_USAGE;
  }
  qsort(st, (size_t)n, sizeof *st, cmp_students);
  if (jobs < 1) jobs = 1;
  if (jobs > n) jobs = n;
  printf("grading %d submissions in %s, %d at a time (each run at most %d s and %ld KiB of output)\n", n, dir,
         jobs, g->timeout_s, g->max_output >> 10);
  fflush(stdout);
  double t0 = rt_now_ms();
  ClassJob job = {.lab = g->lab, .st = st, .n = n, .wanted = g->wanted, .nwanted = g->nwanted};
  pthread_mutex_init(&job.lock, NULL);
  snprintf(job.timeout_env, sizeof job.timeout_env, "LAB_GRADE_TIMEOUT=%d", g->timeout_s);
  snprintf(job.output_env, sizeof job.output_env, "LAB_GRADE_MAX_OUTPUT=%ld", g->max_output);
  pthread_t th[64];
  int nth = jobs < 64 ? jobs : 64;
  for (int i = 0; i < nth; i++) pthread_create(&th[i], NULL, class_worker, &job);
  for (int i = 0; i < nth; i++) pthread_join(th[i], NULL);
  pthread_mutex_destroy(&job.lock);
  double secs = (rt_now_ms() - t0) / 1000;

  // The columns, then each student's points per column.
  Column *cols = NULL;
  int ncols = 0;
  int **pts = rt_xcalloc((size_t)n, sizeof *pts);
  char **why = rt_xcalloc((size_t)n, sizeof *why);  // a student the grader could not grade at all
  char details[9000];
  snprintf(details, sizeof details, "%s-tests.csv", out);
  FILE *df = fopen(details, "w");
  if (df) fputs("student,exercise,test,points,max,message\n", df);
  for (int i = 0; i < n; i++) {
    Proc *r = &st[i].run;
    int ntests = 0;
    for (char *line = st[i].ran ? r->out : NULL; line && *line;) {
      char *nl = strchr(line, '\n');
      if (nl) *nl = '\0';
      char ex[256], test[256], msg[600];
      if (json_line_str(line, "exercise", ex, sizeof ex) && json_line_str(line, "name", test, sizeof test) &&
          json_line_str(line, "message", msg, sizeof msg)) {
        double p = 0, m = 0;
        json_number(line, "points", &p);
        json_number(line, "max", &m);
        int c = column_of(&cols, &ncols, ex, test, (int)m);
        if (c >= ntests) {
          pts[i] = rt_xrealloc(pts[i], (size_t)ncols * sizeof **pts);
          for (int k = ntests; k < ncols; k++) pts[i][k] = -1;
          ntests = ncols;
        }
        pts[i][c] = (int)p;
        if (df) {
          grade_csv_field(df, st[i].name);
          fputc(',', df);
          grade_csv_field(df, ex);
          fputc(',', df);
          grade_csv_field(df, test);
          fprintf(df, ",%d,%d,", (int)p, (int)m);
          grade_csv_field(df, msg);
          fputc('\n', df);
        }
      }
      line = nl ? nl + 1 : NULL;
    }
    if (ntests == 0) {  // no report: the grader itself refused (exit 3) or died
      char ll[300] = "";
      if (st[i].ran) grade_last_line(r->err, ll, sizeof ll);
      why[i] = rt_xstrdup(ll[0] ? ll : "the grader produced no report");
    }
    if (ntests < ncols) {
      pts[i] = rt_xrealloc(pts[i], (size_t)ncols * sizeof **pts);
      for (int k = ntests; k < ncols; k++) pts[i][k] = -1;
    }
  }
  if (df) fclose(df);

  // gradebook.csv: a row per student, a column per test, the total.
  char svg[9000];
  snprintf(svg, sizeof svg, "%s.svg", out);
  int max = 0;
  for (int c = 0; c < ncols; c++) max += cols[c].max;
  double *pct = rt_xcalloc((size_t)n + 1, sizeof *pct), *sorted = rt_xcalloc((size_t)n + 1, sizeof *sorted);
  FILE *bf = fopen(book, "w");
  if (bf) {
    fputs("student", bf);
    for (int c = 0; c < ncols; c++) {
      char h[600];
      snprintf(h, sizeof h, "%s: %s (%d)", cols[c].exercise, cols[c].test, cols[c].max);
      fputc(',', bf);
      grade_csv_field(bf, h);
    }
    fprintf(bf, ",total,max,note\n");
  }
  for (int i = 0; i < n; i++) {
    int total = 0;
    if (bf) grade_csv_field(bf, st[i].name);
    for (int c = 0; c < ncols; c++) {
      int p = pts[i] ? pts[i][c] : -1;
      if (p > 0) total += p;
      if (bf) fprintf(bf, ",%d", p < 0 ? 0 : p);
    }
    pct[i] = sorted[i] = max ? 100.0 * total / max : 0;
    if (bf) {
      fprintf(bf, ",%d,%d,", total, max);
      grade_csv_field(bf, why[i] ? why[i] : "");
      fputc('\n', bf);
    }
  }
  bool wrote = bf && fclose(bf) == 0;
  qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
  double mean = 0;
  for (int i = 0; i < n; i++) mean += pct[i] / n;
  double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  char title[300];
  snprintf(title, sizeof title, "%s: %d submissions, median %.0f%%, mean %.0f%%", dir, n, median, mean);
  wrote = write_histogram(svg, pct, n, title) && wrote;
  printf("graded %d submissions in %.1f s: median %.0f%%, mean %.0f%%, lowest %.0f%%, highest %.0f%% (of %d points)\n",
         n, secs, median, mean, sorted[0], sorted[n - 1], max);
  for (int i = 0; i < n; i++)
    if (why[i]) printf("  %s: not graded: %s\n", st[i].name, why[i]);
  printf("wrote %s (a row per student), %s (a row per test, with the reasons) and %s (the histogram)\n", book,
         details, svg);

  for (int i = 0; i < n; i++) {
    free(st[i].name);
    free(st[i].root);
    if (st[i].ran) proc_free(&st[i].run);
    free(pts[i]);
    free(why[i]);
  }
  for (int c = 0; c < ncols; c++) free(cols[c].exercise), free(cols[c].test);
  free(cols);
  free(pts);
  free(why);
  free(st);
  free(pct);
  free(sorted);
  return wrote && df ? EXIT_OK : EXIT_USAGE;
}
