// boundary_pyo3.rs — the PyO3 twin of boundary_ext.c: the same four
// functions as a Rust extension module, built by tests/bench/boundary.sh with
// Debian's librust-pyo3-dev (0.17, offline) when it is installed. PyO3
// extracts `Vec<i64>` element by element, as the lab's converters do, and
// `allow_threads` releases the GIL as #[native(nogil)] does.
use pyo3::prelude::*;

#[pyfunction]
fn step(s: i64, i: i64) -> i64 { (s + i) % 1000003 }

#[pyfunction]
fn steps(n: i64) -> i64 { let mut s = 0; for i in 0..n { s = (s + i) % 1000003; } s }

#[pyfunction]
fn total(v: Vec<i64>) -> i64 { v.iter().sum() }

#[pyfunction]
fn spin(py: Python<'_>, n: i64, seed: i64) -> i64 {
    py.allow_threads(|| { let mut x = seed; for i in 0..n { x = (x * 1103515245 + 12345 + i) % 2147483648; } x })
}

#[pymodule]
fn boundary_pyo3(_py: Python<'_>, m: &PyModule) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(step, m)?)?;
    m.add_function(wrap_pyfunction!(steps, m)?)?;
    m.add_function(wrap_pyfunction!(total, m)?)?;
    m.add_function(wrap_pyfunction!(spin, m)?)?;
    Ok(())
}
