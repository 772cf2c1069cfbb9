//! What the server sends: the protocol library's messages and the
//! diagnostics it writes itself, whole frames one after another on
//! standard output.
//!
//! tower-lsp-server turns every notification into a `serde_json::Value`
//! before writing it. For the diagnostics of a large document that tree is
//! the dearest part of publishing them (2,500 findings: ~1.2 ms to build,
//! ~1.1 ms to write, ~1.4 ms to drop, against ~0.6 ms to serialise the
//! findings as they are), and the library takes them by value, so the
//! analysis's list was cloned for it as well. So the server serialises
//! `textDocument/publishDiagnostics` itself, from the analysis's list, and
//! hands the frame to the [`Outbox`]; the library writes into a pipe that
//! [`deliver`] reads and cuts at frame boundaries. Frames from both are
//! written whole, never interleaved.

use serde::Serialize;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::frames::{Next, header, next_frame};

/// Sends frames of our own to the client.
#[derive(Clone, Debug)]
pub struct Outbox {
    frames: mpsc::UnboundedSender<Vec<u8>>,
}

/// Where [`deliver`] takes the [`Outbox`]'s frames from.
pub struct Inbox {
    frames: mpsc::UnboundedReceiver<Vec<u8>>,
}

pub fn outbox() -> (Outbox, Inbox) {
    let (frames, receiver) = mpsc::unbounded_channel();
    (Outbox { frames }, Inbox { frames: receiver })
}

#[derive(Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: &'a P,
}

impl Outbox {
    /// Queues the notification `method` with `params`; false when it cannot
    /// be serialised or nobody delivers any more (the server is stopping).
    pub fn notify<P: Serialize>(&self, method: &str, params: &P) -> bool {
        let body = match serde_json::to_vec(&Notification {
            jsonrpc: "2.0",
            method,
            params,
        }) {
            Ok(body) => body,
            Err(e) => {
                eprintln!("policylint lsp: cannot serialise {method}: {e}");
                return false;
            }
        };
        let mut frame = header(body.len()).into_bytes();
        frame.extend_from_slice(&body);
        self.frames.send(frame).is_ok()
    }
}

/// Writes to `output` the frames the library writes into `library` and
/// those queued in `inbox`, each whole, until the library's side closes
/// (the server stopped: what was queued by then is written too).
pub async fn deliver(
    mut library: impl AsyncRead + Unpin,
    mut inbox: Inbox,
    mut output: impl AsyncWrite + Unpin,
) {
    let mut buffer: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut ours_open = true;
    loop {
        tokio::select! {
            read = library.read(&mut chunk) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buffer.extend_from_slice(&chunk[..n]);
                    while let Next::Frame(body) = next_frame(&mut buffer) {
                        if write(&mut output, &body).await.is_err() {
                            return;
                        }
                    }
                }
            },
            frame = inbox.frames.recv(), if ours_open => match frame {
                Some(frame) => {
                    if output.write_all(&frame).await.is_err() || output.flush().await.is_err() {
                        return;
                    }
                }
                None => ours_open = false,
            },
        }
    }
    while let Ok(frame) = inbox.frames.try_recv() {
        if output.write_all(&frame).await.is_err() {
            return;
        }
    }
    let _ = output.flush().await;
}

async fn write(output: &mut (impl AsyncWrite + Unpin), body: &[u8]) -> std::io::Result<()> {
    output.write_all(header(body.len()).as_bytes()).await?;
    output.write_all(body).await?;
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[tokio::test]
    async fn frames_from_both_sides_arrive_whole() {
        let (mut library, from_library) = tokio::io::duplex(16);
        let (outbox, inbox) = outbox();
        let (output, mut client) = tokio::io::duplex(1 << 20);
        let delivering = tokio::spawn(deliver(from_library, inbox, output));
        let long = format!(
            r#"{{"jsonrpc":"2.0","id":1,"result":"{}"}}"#,
            "x".repeat(5000)
        );
        // The library's frame goes out in pieces; ours come meanwhile.
        let written = frame(&long);
        let (first, rest) = written.as_bytes().split_at(100);
        library.write_all(first).await.unwrap();
        assert!(outbox.notify("a/b", &serde_json::json!({ "n": 1 })));
        library.write_all(rest).await.unwrap();
        assert!(outbox.notify("a/b", &serde_json::json!({ "n": 2 })));
        drop(library);
        delivering.await.unwrap();
        let mut out = String::new();
        client.read_to_string(&mut out).await.unwrap();
        let ours = |n: u32| {
            frame(&format!(
                r#"{{"jsonrpc":"2.0","method":"a/b","params":{{"n":{n}}}}}"#
            ))
        };
        // Each frame whole; ours in the order sent, the last after the
        // library's side closed.
        assert!(out.contains(&frame(&long)), "{out}");
        let (one, two) = (out.find(&ours(1)).unwrap(), out.find(&ours(2)).unwrap());
        assert!(one < two);
        assert_eq!(
            out.len(),
            frame(&long).len() + ours(1).len() + ours(2).len()
        );
    }

    #[tokio::test]
    async fn nothing_is_sent_once_delivery_stopped() {
        let (library, from_library) = tokio::io::duplex(16);
        let (outbox, inbox) = outbox();
        drop(library);
        deliver(from_library, inbox, Vec::new()).await;
        assert!(!outbox.notify("a/b", &1));
    }
}
