// Twin of sleepy.toy in Rust: T threads, each R rounds of a 10 ms sleep and
// a little arithmetic.
fn worker(k: i64, rounds: i64) -> i64 {
    let mut acc = 0;
    for r in 0..rounds {
        std::thread::sleep(std::time::Duration::from_millis(10));
        for i in 0..1000 {
            acc += (i * k + r) % 7;
        }
    }
    acc
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let t: i64 = a.get(1).map_or(2, |s| s.parse().unwrap());
    let rounds: i64 = a.get(2).map_or(2, |s| s.parse().unwrap());
    let hs: Vec<_> = (0..t).map(|k| std::thread::spawn(move || worker(k, rounds))).collect();
    let total: i64 = hs.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{}", total);
}
