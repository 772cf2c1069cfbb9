//! A guard in front of the protocol library: passes on only well-formed
//! messages.
//!
//! tower-lsp stops reading for good at the first message it cannot decode
//! (a broken header, a wrong `Content-Length`, invalid JSON, a body that is
//! not JSON-RPC). A language server must survive those, so this reads the
//! frames first: a malformed one is dropped with a log line, and reading
//! resynchronises at the next `Content-Length` header.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest header block we wait for before calling it garbage.
const MAX_HEADER: usize = 16 * 1024;
/// The largest body we wait for: a header claiming more is broken, and
/// waiting for it would swallow every message after it.
const MAX_BODY: usize = 1 << 30;

/// Copies well-formed frames from `input` to `output` until `input` ends.
pub async fn forward(mut input: impl AsyncRead + Unpin, mut output: impl AsyncWrite + Unpin) {
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        loop {
            match next_frame(&mut buffer) {
                Next::Frame(body) => {
                    if let Err(reason) = check(&body) {
                        eprintln!("policylint lsp: ignored a malformed message: {reason}");
                        continue;
                    }
                    let header = header(body.len());
                    let written = async {
                        output.write_all(header.as_bytes()).await?;
                        output.write_all(&body).await?;
                        output.flush().await
                    };
                    if written.await.is_err() {
                        return;
                    }
                }
                Next::Skipped(reason) => {
                    eprintln!("policylint lsp: skipped bytes that are no message: {reason}")
                }
                Next::NeedMore => break,
            }
        }
        match input.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// The header of a frame whose body is `length` bytes.
pub(super) fn header(length: usize) -> String {
    format!("Content-Length: {length}\r\n\r\n")
}

pub(super) enum Next {
    Frame(Vec<u8>),
    Skipped(&'static str),
    NeedMore,
}

/// Takes the next frame (or garbage) off the front of `buffer`.
pub(super) fn next_frame(buffer: &mut Vec<u8>) -> Next {
    let Some(header_end) = find(buffer, b"\r\n\r\n") else {
        if buffer.len() > MAX_HEADER {
            resync(buffer, 1);
            return Next::Skipped("a header without its end");
        }
        return Next::NeedMore;
    };
    let header = String::from_utf8_lossy(&buffer[..header_end]).to_string();
    let length = header.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())
            .flatten()
    });
    let Some(length) = length.filter(|&l| l <= MAX_BODY) else {
        // Garbage before a header, or a broken header: on to the next
        // `Content-Length` (past this one, so that reading moves on).
        resync(buffer, 1);
        return Next::Skipped("a header without a valid Content-Length");
    };
    let body_start = header_end + 4;
    if buffer.len() < body_start + length {
        return Next::NeedMore;
    }
    let body = buffer[body_start..body_start + length].to_vec();
    buffer.drain(..body_start + length);
    Next::Frame(body)
}

/// Drops bytes up to the next `Content-Length` at or after `from`.
fn resync(buffer: &mut Vec<u8>, from: usize) {
    let from = from.min(buffer.len());
    let next =
        find_ignoring_case(&buffer[from..], b"content-length").map_or(buffer.len(), |k| from + k);
    buffer.drain(..next);
}

/// Why `body` is not a JSON-RPC message, if it is not.
fn check(body: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8 ({e})"))?;
    if serde_json::from_str::<Request>(text).is_ok()
        || serde_json::from_str::<Response>(text).is_ok()
    {
        return Ok(());
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Err(e) => Err(format!("not JSON ({e})")),
        Ok(_) => Err("JSON, but not a JSON-RPC request or response".into()),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn find_ignoring_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    async fn run(input: &[u8]) -> String {
        let mut out = Vec::new();
        forward(input, &mut out).await;
        String::from_utf8(out).unwrap()
    }

    #[tokio::test]
    async fn good_frames_pass_bad_ones_are_dropped() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#;
        let note = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "{}{}{}garbage{}{}",
            frame(good),
            frame("{ not json"),
            frame(r#"{"foo": 1}"#),
            frame(note),
            "Content-Type: x\r\n\r\n"
        );
        assert_eq!(
            run(input.as_bytes()).await,
            format!("{}{}", frame(good), frame(note))
        );
    }

    #[tokio::test]
    async fn a_wrong_length_costs_only_the_broken_messages() {
        let first = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
        let second = r#"{"jsonrpc":"2.0","id":2,"method":"b"}"#;
        let third = r#"{"jsonrpc":"2.0","id":3,"method":"c"}"#;
        // The first frame claims too few bytes: it and the rest of its body
        // are lost, the next messages arrive.
        let input = format!(
            "Content-Length: 10\r\n\r\n{first}{}{}",
            frame(second),
            frame(third)
        );
        let out = run(input.as_bytes()).await;
        assert!(out.contains(second) && out.contains(third), "{out}");
        assert!(!out.contains(first));
    }
}
