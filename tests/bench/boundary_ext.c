// boundary_ext.c — the C extension boundary.py calls (tests/bench/boundary.toy's
// twin): the reference for hybrid mode's boundary (docs/hybrid.md). Each
// function converts its arguments from Python objects and its result back,
// as the lab's generated converters do: PyLong_AsLongLong per int,
// PySequence_Fast for a list, the GIL released around spin (Py_BEGIN_ALLOW_THREADS,
// PyO3's allow_threads). Built by `lab bench` (compiler/lab/bench.c) into
// build/bench/boundary_ext.so against the CPython it runs.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *step(PyObject *self, PyObject *args) {
  (void)self;
  long long s, i;
  if (!PyArg_ParseTuple(args, "LL", &s, &i)) return NULL;
  return PyLong_FromLongLong((s + i) % 1000003);
}

static PyObject *steps(PyObject *self, PyObject *args) {
  (void)self;
  long long n, s = 0;
  if (!PyArg_ParseTuple(args, "L", &n)) return NULL;
  for (long long i = 0; i < n; i++) s = (s + i) % 1000003;
  return PyLong_FromLongLong(s);
}

// Extracts the list into a C array first, as PyO3's Vec<i64> extraction
// (and the lab's converter) does, then sums it.
static PyObject *total(PyObject *self, PyObject *arg) {
  (void)self;
  PyObject *seq = PySequence_Fast(arg, "total() wants a list of ints");
  if (!seq) return NULL;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
  PyObject **items = PySequence_Fast_ITEMS(seq);
  long long *v = PyMem_Malloc((size_t)(n ? n : 1) * sizeof *v);
  if (!v) {
    Py_DECREF(seq);
    return PyErr_NoMemory();
  }
  for (Py_ssize_t i = 0; i < n; i++) {
    v[i] = PyLong_AsLongLong(items[i]);
    if (v[i] == -1 && PyErr_Occurred()) {
      PyMem_Free(v);
      Py_DECREF(seq);
      return NULL;
    }
  }
  long long s = 0;
  for (Py_ssize_t i = 0; i < n; i++) s += v[i];
  PyMem_Free(v);
  Py_DECREF(seq);
  return PyLong_FromLongLong(s);
}

static PyObject *spin(PyObject *self, PyObject *args) {
  (void)self;
  long long n, x;
  if (!PyArg_ParseTuple(args, "LL", &n, &x)) return NULL;
  Py_BEGIN_ALLOW_THREADS
  for (long long i = 0; i < n; i++) x = (x * 1103515245 + 12345 + i) % 2147483648LL;
  Py_END_ALLOW_THREADS
  return PyLong_FromLongLong(x);
}

static PyMethodDef methods[] = {
    {"step", step, METH_VARARGS, "(s + i) % 1000003"},
    {"steps", steps, METH_VARARGS, "the loop of step calls, in C"},
    {"total", total, METH_O, "the sum of a list of ints, converted first"},
    {"spin", spin, METH_VARARGS, "n steps of an LCG, without the GIL"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "boundary_ext", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit_boundary_ext(void) { return PyModule_Create(&module); }
