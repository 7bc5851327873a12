// Twin of logs.toy in Rust: N records as a struct (`struct`) or as a
// HashMap<String, i64> per record (`map`), scanned three times.
use std::collections::HashMap;

struct Rec { level: i64, latency: i64, size: i64, status: i64 }

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let n: i64 = a.get(1).map_or(1000, |s| s.parse().unwrap());
    let use_map = a.get(2).map_or(false, |s| s == "map");
    let (mut x, mut errors, mut slow, mut bytes) = (3i64, 0i64, 0i64, 0i64);
    if use_map {
        let mut recs: Vec<HashMap<String, i64>> = Vec::new();
        for _ in 0..n {
            x = (x * 1103515245 + 12345) % 2147483648;
            let mut m = HashMap::new();
            m.insert("level".to_string(), x % 4);
            m.insert("latency".to_string(), (x / 4) % 1000);
            m.insert("size".to_string(), (x / 4096) % 65536);
            m.insert("status".to_string(), 200 + (x / 64) % 5 * 100);
            recs.push(m);
        }
        for _ in 0..3 {
            for r in &recs {
                if r["level"] == 3 && r["status"] >= 500 {
                    errors += 1;
                }
                if r["latency"] > 900 {
                    slow += r["latency"];
                }
                bytes += r["size"];
            }
        }
    } else {
        let mut recs: Vec<Rec> = Vec::new();
        for _ in 0..n {
            x = (x * 1103515245 + 12345) % 2147483648;
            recs.push(Rec { level: x % 4, latency: (x / 4) % 1000, size: (x / 4096) % 65536, status: 200 + (x / 64) % 5 * 100 });
        }
        for _ in 0..3 {
            for r in &recs {
                if r.level == 3 && r.status >= 500 {
                    errors += 1;
                }
                if r.latency > 900 {
                    slow += r.latency;
                }
                bytes += r.size;
            }
        }
    }
    println!("{} {} {}", errors, slow, bytes);
}
