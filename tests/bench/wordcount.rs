// Twin of wordcount.toy in Rust: count N words in a map of String -> i64.
// Ties go to the word seen first, as in an insertion-ordered map: the order
// of first appearance is kept beside the HashMap.
use std::collections::HashMap;

fn main() {
    let n: i64 = std::env::args().nth(1).map_or(1000, |s| s.parse().unwrap());
    let syll = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "fu"];
    let mut vocab: Vec<String> = Vec::new();
    for i in 0..1000 {
        vocab.push(format!("{}{}{}", syll[i % 10], syll[(i / 10) % 10], syll[i / 100]));
    }
    let mut words: Vec<String> = Vec::new();
    let mut x: i64 = 7;
    for _ in 0..n {
        x = (x * 1103515245 + 12345) % 2147483648;
        words.push(vocab[((x / 65536) % 1000) as usize].clone());
    }
    let text = words.join(" ");
    let mut counts: HashMap<String, i64> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for w in text.split_whitespace() {
        match counts.get_mut(w) {
            Some(c) => *c += 1,
            None => {
                counts.insert(w.to_string(), 1);
                order.push(w.to_string());
            }
        }
    }
    let (mut best, mut best_word) = (0, "");
    for k in &order {
        if counts[k] > best {
            best = counts[k];
            best_word = k;
        }
    }
    println!("{} {} {}", counts.len(), best_word, best);
}
