// Twin of primes.toy in Rust: count the primes below N by trial division
// over T std::thread threads running in parallel.
fn count(n: i64, t: i64, k: i64) -> i64 {
    let mut c = 0;
    let mut j = k;
    while 2 * j + 1 < n {
        let p = 2 * j + 1;
        if p >= 3 {
            let mut prime = true;
            let mut d = 3;
            while d * d <= p {
                if p % d == 0 {
                    prime = false;
                    break;
                }
                d += 2;
            }
            if prime {
                c += 1;
            }
        }
        j += t;
    }
    c
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let n: i64 = a.get(1).map_or(2000, |s| s.parse().unwrap());
    let t: i64 = a.get(2).map_or(2, |s| s.parse().unwrap());
    let hs: Vec<_> = (0..t).map(|k| std::thread::spawn(move || count(n, t, k))).collect();
    let mut total = 1;
    for h in hs {
        total += h.join().unwrap();
    }
    println!("{}", total);
}
