// Twin of idle.toy in Rust: wait 50 ms, print one word; the figure is peak RSS.
fn main() {
    std::thread::sleep(std::time::Duration::from_millis(50));
    println!("idle");
}
