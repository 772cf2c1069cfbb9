//! `policylint outline FILE`

use std::io::{self, Read, Write};
use std::path::Path;

use serde::Serialize;

use super::EXIT_ERROR;
use crate::lint::files;
use crate::syntax::{Document, LineIndex, SectionKind};

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OutlineFormat {
    Text,
    Json,
}

#[derive(Serialize)]
struct OutlineJson {
    title: Option<String>,
    sections: Vec<SectionJson>,
}

#[derive(Serialize)]
struct SectionJson {
    number: Option<String>,
    title: String,
    line: usize,
    children: Vec<SectionJson>,
}

/// Writes the outline of `doc`: its title and the tree of sections, with run-in
/// headings as children without a number.
pub fn outline(doc: &Document, format: OutlineFormat, out: &mut dyn Write) -> io::Result<()> {
    let index = LineIndex::new(&doc.text);
    let tree = OutlineJson {
        title: doc.title.as_ref().map(|t| doc.slice(t.span).to_string()),
        sections: doc
            .outline
            .roots
            .iter()
            .map(|&i| section(doc, &index, i))
            .collect(),
    };
    match format {
        OutlineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &tree).map_err(io::Error::other)?;
            writeln!(out)
        }
        OutlineFormat::Text => {
            if let Some(title) = &tree.title {
                writeln!(out, "{title}")?;
            }
            for s in &tree.sections {
                write_text(s, 1, out)?;
            }
            Ok(())
        }
    }
}

fn section(doc: &Document, index: &LineIndex, i: usize) -> SectionJson {
    let s = &doc.outline.sections[i];
    let (number, title) = match s.kind {
        SectionKind::Heading(h) => {
            let heading = &doc.headings[h];
            (
                heading.number.as_ref().map(|n| n.display()),
                doc.title_of(heading).into_owned(),
            )
        }
        SectionKind::RunIn(r) => {
            let lead = doc.slice(doc.run_ins[r].span);
            (None, lead.strip_suffix('.').unwrap_or(lead).to_string())
        }
    };
    SectionJson {
        number,
        title,
        line: index.line_of(s.heading.start) + 1,
        children: doc
            .outline
            .children(i)
            .iter()
            .map(|&c| section(doc, index, c))
            .collect(),
    }
}

fn write_text(s: &SectionJson, depth: usize, out: &mut dyn Write) -> io::Result<()> {
    let indent = "  ".repeat(depth);
    match &s.number {
        Some(n) => writeln!(out, "{indent}{n} {}  (line {})", s.title, s.line)?,
        None => writeln!(out, "{indent}{}  (line {})", s.title, s.line)?,
    }
    for c in &s.children {
        write_text(c, depth + 1, out)?;
    }
    Ok(())
}

/// `policylint outline FILE`: reads the file (or standard input for `-`),
/// parses it in the format its name and configuration give, and writes its
/// outline. Returns the exit code.
pub fn outline_file(
    path: &Path,
    stdin_filename: Option<&Path>,
    format: OutlineFormat,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let stdin = path.as_os_str() == "-";
    let name = if stdin {
        stdin_filename.unwrap_or(path)
    } else {
        path
    };
    let text = if stdin {
        let mut bytes = Vec::new();
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("standard input: {e}"))
            .and_then(|_| files::decode(name, bytes).map_err(|e| e.to_string()))
    } else {
        files::read_text(path).map_err(|e| e.to_string())
    };
    let config = files::config_for_dir(&files::config_dir(name)).map_err(|e| e.to_string());
    let (text, config) = match (text, config) {
        (Ok(t), Ok(c)) => (t, c),
        (Err(e), _) | (_, Err(e)) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_ERROR;
        }
    };
    let doc = Document::parse(text, config.format_for(name));
    match outline(&doc, format, out) {
        Ok(()) => 0,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write output: {e}");
            EXIT_ERROR
        }
    }
}
