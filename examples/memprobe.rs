use policylint::config::Config;
use policylint::lint::Linter;
use policylint::lint::incremental::IncrementalChecker;
use policylint::syntax::Format;
fn main() {
    let mut text = String::new();
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("../shared/corpus/clean")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else if p.extension().is_some_and(|e| e == "md" || e == "txt") {
                files.push(p)
            }
        }
    }
    files.sort();
    'o: loop {
        for f in &files {
            text.push_str(&std::fs::read_to_string(f).unwrap());
            text.push_str("\n\n");
            if text.len() > 5 << 20 {
                break 'o;
            }
        }
    }
    let linter = Linter::new(&Config::default());
    let mut checker = IncrementalChecker::new();
    let (doc, d) = checker.update(&linter, text.clone(), Format::Markdown);
    println!("blocks {} diags {}", doc.blocks.len(), d.len());
}
