//! The language server: `policylint lsp`, over standard input and output.
//!
//! It translates between LSP and the engine and does not lint: documents
//! are kept as ropes (`document`), positions converted in one place
//! (`position`), the configuration read from the workspace (`workspace`),
//! and the requests answered in `server` from the engine's analysis.

mod document;
mod features;
mod frames;
mod outbox;
mod position;
mod server;
mod workspace;

pub use document::OpenDocument;
pub use position::Encoding;
pub use server::Server;

/// glibc gives each thread that allocates an arena of its own (up to eight
/// a core) and keeps what is freed there for that arena. The server's
/// large texts are made and dropped on different threads (the async
/// workers, the blocking pool, rayon's), and a 5 MB document that needs an
/// 82 MB heap left the process at 192–218 MB resident. With one arena the
/// peak was 114 MB, but the rayon threads that check blocks side by side
/// waited on its lock: opening 5 MB took 394–617 ms. One arena a core,
/// measured on two cores (`cargo bench --bench lsp`, nine runs): 131–150
/// MB and 305–443 ms. A fixed `M_MMAP_THRESHOLD` of 1 MB kept the peak at
/// 117–122 MB, but cost 40–80 ms an open and 3–9 ms a keystroke.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn allocator_arenas() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let arenas = i32::try_from(cores).unwrap_or(i32::MAX);
    // SAFETY: mallopt sets a parameter of the C allocator; it is called
    // before the runtime starts any thread.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, arenas);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn allocator_arenas() {}

/// Serves the protocol on standard input and output until the client
/// says `exit`. Logs go to standard error.
pub fn run() -> std::process::ExitCode {
    allocator_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("policylint lsp: cannot start: {e}");
            return std::process::ExitCode::from(crate::cli::EXIT_ERROR);
        }
    };
    runtime.block_on(async {
        // Messages pass through `frames`, which drops malformed ones that
        // would otherwise stop the protocol library from reading.
        let (checked, to_server) = tokio::io::duplex(64 * 1024);
        tokio::spawn(frames::forward(tokio::io::stdin(), checked));
        // What the server sends passes through `outbox`, which also writes
        // the diagnostics the server serialises itself.
        let (from_server, library_output) = tokio::io::duplex(64 * 1024);
        let (outbox, inbox) = outbox::outbox();
        let delivering = tokio::spawn(outbox::deliver(library_output, inbox, tokio::io::stdout()));
        let (service, socket) =
            tower_lsp_server::LspService::new(move |client| Server::new(client, outbox));
        tower_lsp_server::Server::new(to_server, from_server, socket)
            .serve(service)
            .await;
        // The answer to `shutdown` may still be on its way out.
        let _ = delivering.await;
    });
    // The reader of standard input may still wait for bytes that will never
    // come (the client keeps the pipe open): do not wait for it.
    runtime.shutdown_background();
    std::process::ExitCode::SUCCESS
}
