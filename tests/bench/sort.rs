// Twin of sort.toy in Rust: sort N pseudo-random ints with Vec::sort.
fn main() {
    let n: i64 = std::env::args().nth(1).map_or(1000, |s| s.parse().unwrap());
    let mut v: Vec<i64> = Vec::new();
    let mut x: i64 = 42;
    for _ in 0..n {
        x = (x * 1103515245 + 12345) % 2147483648;
        v.push(x);
    }
    v.sort();
    let mut check: i64 = 0;
    for i in 0..n as usize {
        check += v[i] * (i as i64 % 7 + 1);
    }
    let h = n as usize;
    println!("{} {} {} {}", v[0], v[h / 2], v[h - 1], check);
}
