// rpn.rs — exercise 08 (docs/exercises/08-port-rust.md): port this program
// to Toy in rpn.toy. Run it with: rustc -O rpn.rs && ./rpn
//
// A reverse-Polish calculator: each line of input.txt is one expression;
// it prints the value of each, or what went wrong, and a summary at the end.

use std::fs;

enum Outcome {
    Value(i64),
    Underflow,
    DivByZero,
    BadToken,
}

struct Stats {
    ok: i64,
    failed: i64,
}

fn apply(op: &str, a: i64, b: i64) -> Option<i64> {
    match op {
        "+" => Some(a + b),
        "-" => Some(a - b),
        "*" => Some(a * b),
        "/" => if b == 0 { None } else { Some(a / b) },
        _ => None,
    }
}

fn eval(line: &str) -> Outcome {
    let mut stack: Vec<i64> = Vec::new();
    for tok in line.split_whitespace() {
        if tok == "+" || tok == "-" || tok == "*" || tok == "/" {
            if stack.len() < 2 {
                return Outcome::Underflow;
            }
            let b = stack.pop().unwrap();
            let a = stack.pop().unwrap();
            match apply(tok, a, b) {
                Some(v) => stack.push(v),
                None => return Outcome::DivByZero,
            }
        } else {
            match tok.parse::<i64>() {
                Ok(v) => stack.push(v),
                Err(_) => return Outcome::BadToken,
            }
        }
    }
    if stack.len() != 1 {
        return Outcome::Underflow;
    }
    Outcome::Value(stack[0])
}

fn main() {
    let text = fs::read_to_string("input.txt").unwrap();
    let mut stats = Stats { ok: 0, failed: 0 };
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        match eval(line) {
            Outcome::Value(v) => {
                println!("{} = {}", line.trim(), v);
                stats.ok += 1;
            }
            Outcome::Underflow => {
                println!("{}: stack underflow", line.trim());
                stats.failed += 1;
            }
            Outcome::DivByZero => {
                println!("{}: division by zero", line.trim());
                stats.failed += 1;
            }
            Outcome::BadToken => {
                println!("{}: bad token", line.trim());
                stats.failed += 1;
            }
        }
    }
    println!("{} ok, {} failed", stats.ok, stats.failed);
}
