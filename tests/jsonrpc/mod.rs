//! JSON-RPC framing as a language client reads it, shared by `tests/lsp.rs`
//! and `benches/lsp.rs`.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, channel};

/// The messages of `output` as they arrive, read by a thread of their own
/// and each made into a `T` by `decode` from its body. The channel ends
/// with the output, or at a message that does not decode.
pub fn listen<T: Send + 'static>(
    output: impl Read + Send + 'static,
    decode: impl Fn(Vec<u8>) -> Option<T> + Send + 'static,
) -> Receiver<T> {
    let (send, messages) = channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(output);
        while let Some(message) = read_body(&mut reader).and_then(&decode) {
            if send.send(message).is_err() {
                break;
            }
        }
    });
    messages
}

/// The body of the next message on `reader` (after its `Content-Length`
/// header); `None` at the end of the stream or on a broken header.
fn read_body(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = v.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}
