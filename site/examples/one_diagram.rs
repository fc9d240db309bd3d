fn main() {
    let src = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    match site::diagrams::render(&src) {
        Ok(d) => print!("{}", d.svg),
        Err(e) => eprintln!("line {}: {}", e.line, e.message),
    }
}
