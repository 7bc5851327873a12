// Twin of binary_trees.toy in Rust: Option<Box<Node>> children, dropped
// with their owner.
struct Node { left: Option<Box<Node>>, right: Option<Box<Node>> }

fn make(d: i32) -> Node {
    if d == 0 {
        return Node { left: None, right: None };
    }
    Node { left: Some(Box::new(make(d - 1))), right: Some(Box::new(make(d - 1))) }
}

fn check(n: &Node) -> i64 {
    let mut c = 1;
    if let Some(l) = &n.left {
        c += check(l);
    }
    if let Some(r) = &n.right {
        c += check(r);
    }
    c
}

fn main() {
    let max_depth: i32 = std::env::args().nth(1).map_or(6, |s| s.parse().unwrap());
    let min_depth = 4;
    let stretch = max_depth + 1;
    println!("stretch tree of depth {} check: {}", stretch, check(&make(stretch)));
    let long_lived = make(max_depth);
    let mut d = min_depth;
    while d <= max_depth {
        let iterations: i64 = 1 << (max_depth - d + min_depth);
        let mut total = 0;
        for _ in 0..iterations {
            total += check(&make(d));
        }
        println!("{} trees of depth {} check: {}", iterations, d, total);
        d += 2;
    }
    println!("long lived tree of depth {} check: {}", max_depth, check(&long_lived));
}
