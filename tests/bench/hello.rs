// Benchmark twin of hello.toy in Rust: start-up cost.
fn main() {
    println!("Hello, world!");
}
