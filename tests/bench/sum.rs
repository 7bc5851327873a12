// Benchmark twin of sum.toy in Rust: push 10M ints onto a Vec, then sum them.
fn main() {
    let mut v: Vec<i64> = Vec::new();
    for i in 0..10_000_000 {
        v.push(i);
    }
    let mut total: i64 = 0;
    for x in &v {
        total += x;
    }
    println!("{}", total);
}
