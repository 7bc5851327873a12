// Benchmark twin of fib35.toy in Rust (rustc -O; overflow checks off, as in
// a release build).
fn fib(n: i64) -> i64 {
    if n < 2 {
        return n;
    }
    fib(n - 1) + fib(n - 2)
}

fn main() {
    println!("{}", fib(35));
}
