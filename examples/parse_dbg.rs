fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let p = vnet::syntax::parse(&text);
    for e in &p.errors { let s=e.span; println!("{:?} {}: {}", (s.start,s.end), &text[s.range()], e.message); }
    println!("{:#?}", p.tree.items.len());
}
