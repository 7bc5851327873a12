// Twin of sum.toy in Rust: push N ints (argv, default 10M) onto a Vec, then
// sum them in a loop.
fn main() {
    let n: i64 = std::env::args().nth(1).map_or(10_000_000, |s| s.parse().unwrap());
    let mut v: Vec<i64> = Vec::new();
    for i in 0..n {
        v.push(i);
    }
    let mut total: i64 = 0;
    for x in &v {
        total += x;
    }
    println!("{}", total);
}
