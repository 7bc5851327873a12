// Twin of list.toy in Rust: fill N ints by push onto Vec::new() (`grown`)
// or into vec![0; n] (`prealloc`), then sum them in a loop.
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let n: i64 = a.get(1).map_or(1000, |s| s.parse().unwrap());
    let pre = a.get(2).map_or(false, |s| s == "prealloc");
    let mut total: i64 = 0;
    let v: Vec<i64> = if pre {
        let mut v = vec![0i64; n as usize];
        for i in 0..n {
            v[i as usize] = i * 3;
        }
        v
    } else {
        let mut v = Vec::new();
        for i in 0..n {
            v.push(i * 3);
        }
        v
    };
    for x in &v {
        total += x;
    }
    println!("{}", total);
}
