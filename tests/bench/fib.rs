// Twin of fib.toy in Rust: recursive fib(N), N from argv (default 32).
fn fib(n: i64) -> i64 {
    if n < 2 {
        return n;
    }
    fib(n - 1) + fib(n - 2)
}

fn main() {
    let n: i64 = std::env::args().nth(1).map_or(32, |s| s.parse().unwrap());
    println!("{}", fib(n));
}
