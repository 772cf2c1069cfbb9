//! The server: protocol state and request handlers.
//!
//! State lives behind one `std::sync::Mutex`, held only to read or update
//! it, never across an `.await` nor while parsing or checking: a
//! `didChange` takes the document, applies its whole change list and lets
//! go before anything else runs, so edits apply in order even though
//! notifications are handled concurrently. Requests read an immutable
//! snapshot of the analysis (`document::Analysis`); the analysis of a new
//! version is made once, by a blocking task, for every request that needs
//! it, and work as heavy as fixing the whole document also runs in a
//! blocking task, its result dropped if the document changed meanwhile. So
//! a hover never waits behind a code action. Diagnostics are pushed after
//! a debounce, computed for the version current then, and dropped if a
//! newer version arrived meanwhile; to a client that pulls them instead,
//! they are not pushed at all.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::notification::{Notification as _, PublishDiagnostics};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::document::{Analysis, OpenDocument};
use super::features::{self, ADD_WORD, DISABLE_RULE, FIX_ALL, Mapper};
use super::outbox::Outbox;
use super::position::Encoding;
use super::workspace::{self, Settings};
use crate::config::Config;
use crate::ide;
use crate::lint::Linter;
use crate::lint::files;
use crate::lint::fix::{FixMode, fix_text};
use crate::syntax::Format;

pub struct Server {
    client: Client,
    /// Where diagnostics are published (see `outbox`).
    outbox: Outbox,
    state: Arc<Mutex<State>>,
}

struct State {
    encoding: Encoding,
    root: Option<PathBuf>,
    settings: Settings,
    config: Arc<Config>,
    linter: Arc<Linter>,
    documents: HashMap<Uri, OpenDocument>,
    /// The client registers file watchers for us.
    can_watch: bool,
    /// The client pulls diagnostics (`textDocument/diagnostic`): pushing
    /// them as well would show every finding twice.
    pulls: bool,
    /// The client re-pulls when asked (`workspace/diagnostic/refresh`).
    refreshes: bool,
    /// A configuration error to show once the client is ready.
    pending_error: Option<String>,
}

impl Server {
    pub fn new(client: Client, outbox: Outbox) -> Server {
        let config = Arc::new(Config::default());
        Server {
            client,
            outbox,
            state: Arc::new(Mutex::new(State {
                encoding: Encoding::default(),
                root: None,
                settings: Settings::default(),
                linter: Arc::new(Linter::new(&config)),
                config,
                documents: HashMap::new(),
                can_watch: false,
                pulls: false,
                refreshes: false,
                pending_error: None,
            })),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    async fn log(&self, message: String) {
        eprintln!("policylint lsp: {message}");
        self.client.log_message(MessageType::INFO, message).await;
    }

    /// Pushes diagnostics for `uri` once the debounce has passed, if no newer
    /// version came meanwhile.
    fn schedule(&self, uri: Uri, version: i32) {
        let outbox = self.outbox.clone();
        let state = self.state.clone();
        let (debounce, pulls) = {
            let s = lock(&state);
            (s.settings.debounce, s.pulls)
        };
        if pulls {
            return;
        }
        tokio::spawn(async move {
            // A timer of zero still waits for the timer's next tick (a
            // millisecond): a client that asked for no debounce gets none.
            if !debounce.is_zero() {
                tokio::time::sleep(debounce).await;
            }
            let Some(diagnostics) = diagnostics_for(&state, &uri, Some(version)).await else {
                return;
            };
            // A change may have come while computing: then this is stale.
            if version_of(&state, &uri) == Some(version) {
                publish(&outbox, &uri, &diagnostics, Some(version));
            }
        });
    }

    /// Reloads the configuration; on error the last good one stays and the
    /// user is told, naming the key.
    async fn reload(&self) {
        let (root, settings) = {
            let s = self.state();
            (s.root.clone(), s.settings.clone())
        };
        match workspace::load(root.as_deref(), &settings) {
            Ok(config) => {
                let uris: Vec<(Uri, i32)> = {
                    let mut s = self.state();
                    s.linter = Arc::new(Linter::new(&config));
                    s.config = Arc::new(config);
                    for d in s.documents.values_mut() {
                        d.invalidate();
                    }
                    s.documents
                        .iter()
                        .map(|(u, d)| (u.clone(), d.version))
                        .collect()
                };
                for (uri, version) in uris {
                    self.schedule(uri, version);
                }
                let refreshes = self.state().refreshes;
                if refreshes {
                    if let Err(e) = self.client.workspace_diagnostic_refresh().await {
                        self.log(format!("asking the editor to pull diagnostics again: {e}"))
                            .await;
                    }
                }
            }
            Err(e) => {
                let message = format!("policylint: {e} (keeping the previous configuration)");
                eprintln!("{message}");
                self.client.show_message(MessageType::ERROR, message).await;
            }
        }
    }

    /// The analysis of an open document, with what is needed to map it.
    async fn with_analysis<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&Mapper<'_>, &Analysis) -> T,
    ) -> Option<T> {
        let (analysis, encoding) = analyse(&self.state, uri).await?;
        let mapper = Mapper::new(&analysis, encoding);
        Some(f(&mapper, &analysis))
    }

    /// Where a workspace edit of the configuration goes: the workspace root,
    /// else the folder of the document the action came from.
    fn config_path(&self, document: Option<&str>) -> Option<PathBuf> {
        let root = self.state().root.clone();
        let folder = || {
            document
                .and_then(|u| u.parse::<Uri>().ok())
                .and_then(|u| file_path(&u))
                .and_then(|p| p.parent().map(PathBuf::from))
        };
        root.or_else(folder).map(|r| workspace::config_path(&r))
    }
}

/// The linter for the document at `uri`, with the `[[overrides]]` and
/// `[[suppress]]` entries of its file.
fn linter_for(linter: &Linter, uri: &Uri) -> Linter {
    match file_path(uri) {
        Some(path) => linter.for_path(&path),
        None => linter.clone(),
    }
}

/// The file a `file:` URI names; an unsaved buffer (`untitled:`) names
/// none, though its URI has a path.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|p| p.into_owned())
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The analysis of the current version of `uri`, and the encoding of
/// positions. It is made off the async workers and without the lock, so
/// that a request never waits behind another's work: only behind the
/// analysis of the same version, made once for all who need it.
async fn analyse(state: &Arc<Mutex<State>>, uri: &Uri) -> Option<(Analysis, Encoding)> {
    let (pending, job, linter, config, encoding) = {
        let mut s = lock(state);
        let (linter, config, encoding) = (linter_for(&s.linter, uri), s.config.clone(), s.encoding);
        let doc = s.documents.get_mut(uri)?;
        if let Some(analysis) = doc.current() {
            return Some((analysis, encoding));
        }
        let (pending, job) = doc.pending(encoding);
        (pending, job, linter, config, encoding)
    };
    let path = file_path(uri);
    let analysis = pending
        .get_or_try_init(|| async move {
            tokio::task::spawn_blocking(move || {
                // A translation is compared with its reference file as saved;
                // one that cannot be read leaves the rule silent here (the
                // command line reports it).
                let reference = path
                    .as_deref()
                    .and_then(|p| files::translation_reference(&config, p, &linter).ok())
                    .flatten();
                let linter = match reference {
                    Some(reference) => linter.with_reference(Arc::new(reference)),
                    None => linter,
                };
                job.run(&linter)
            })
            .await
        })
        .await
        .ok()?
        .clone();
    let unkept = lock(state)
        .documents
        .get_mut(uri)
        .and_then(|doc| doc.store(analysis.clone()));
    // Freeing the last analysis of a large document (its blocks, findings
    // and text) takes about a millisecond: not under the lock, nor on the
    // way to the answer.
    if let Some(unkept) = unkept {
        tokio::task::spawn_blocking(move || drop(unkept));
    }
    Some((analysis, encoding))
}

/// The LSP diagnostics of `uri`, for `version` if given (else the current).
async fn diagnostics_for(
    state: &Arc<Mutex<State>>,
    uri: &Uri,
    version: Option<i32>,
) -> Option<Arc<Vec<Arc<Diagnostic>>>> {
    let current = lock(state).documents.get(uri)?.version;
    if version.is_some_and(|v| v != current) {
        return None;
    }
    let (analysis, encoding) = analyse(state, uri).await?;
    if version.is_some_and(|v| v != analysis.version) {
        return None;
    }
    if analysis.encoding == encoding {
        return Some(analysis.lsp_diagnostics.clone());
    }
    let mapper = Mapper::new(&analysis, encoding);
    Some(Arc::new(features::diagnostics(
        &mapper,
        &analysis.doc,
        &analysis.diagnostics,
        None,
    )))
}

/// Sends `textDocument/publishDiagnostics` through the outbox, serialised
/// from the list as it is (see `outbox` for why not through the client).
fn publish(outbox: &Outbox, uri: &Uri, diagnostics: &[Arc<Diagnostic>], version: Option<i32>) {
    /// `PublishDiagnosticsParams`, borrowing the list.
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a Uri,
        diagnostics: &'a [Arc<Diagnostic>],
        #[serde(skip_serializing_if = "Option::is_none")]
        version: Option<i32>,
    }
    let params = Params {
        uri,
        diagnostics,
        version,
    };
    if !outbox.notify(PublishDiagnostics::METHOD, &params) {
        eprintln!(
            "policylint lsp: diagnostics of {} not sent: the server is stopping",
            uri.as_str()
        );
    }
}

/// The version of `uri` open now, if it is open.
fn version_of(state: &Mutex<State>, uri: &Uri) -> Option<i32> {
    lock(state).documents.get(uri).map(|d| d.version)
}

/// The format of a document: a `[format]` glob of the configuration, else
/// the client's language id, else the file extension.
fn format_of(config: &Config, uri: &Uri, language_id: &str) -> Format {
    let path = file_path(uri);
    if let Some(f) = path.as_deref().and_then(|p| config.format_override(p)) {
        return f;
    }
    if language_id == "markdown" {
        return Format::Markdown;
    }
    path.map_or(Format::Plain, |p| Format::from_path(&p))
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = Encoding::negotiate(
            params
                .capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        #[allow(deprecated)]
        let root_uri = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .map(|f| f.uri.clone())
            .or(params.root_uri.clone());
        let root = root_uri
            .as_ref()
            .and_then(|u| u.to_file_path())
            .map(|p| p.into_owned());
        let settings = Settings::from_json(params.initialization_options.as_ref());
        let can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|c| c.dynamic_registration)
            .unwrap_or(false);
        let pulls = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        let refreshes = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        {
            let mut s = self.state();
            s.encoding = encoding;
            s.root = root.clone();
            s.can_watch = can_watch;
            s.pulls = pulls;
            s.refreshes = refreshes;
            match workspace::load(root.as_deref(), &settings) {
                Ok(config) => {
                    s.linter = Arc::new(Linter::new(&config));
                    s.config = Arc::new(config);
                }
                Err(e) => s.pending_error = Some(format!("policylint: {e} (using the defaults)")),
            }
            s.settings = settings;
        }
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "policylint".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::from(FIX_ALL),
                        ]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![ADD_WORD.into(), DISABLE_RULE.into()],
                    ..ExecuteCommandOptions::default()
                }),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("policylint".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    },
                )),
                ..ServerCapabilities::default()
            },
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (can_watch, pending, root) = {
            let mut s = self.state();
            (s.can_watch, s.pending_error.take(), s.root.clone())
        };
        if let Some(message) = pending {
            eprintln!("{message}");
            self.client.show_message(MessageType::ERROR, message).await;
        }
        if can_watch {
            let mut watchers = vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{}", crate::config::FILE_NAME)),
                kind: None,
            }];
            let files: Vec<String> = self.state().config.dictionary_files().to_vec();
            watchers.extend(files.into_iter().map(|f| FileSystemWatcher {
                glob_pattern: GlobPattern::String(format!("**/{f}")),
                kind: None,
            }));
            let options = DidChangeWatchedFilesRegistrationOptions { watchers };
            let registration = Registration {
                id: "policylint-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(e) = self.client.register_capability(vec![registration]).await {
                self.log(format!("cannot watch the configuration: {e}"))
                    .await;
            }
        }
        self.log(format!(
            "ready; workspace {}",
            root.map_or_else(|| "none".to_string(), |r| r.display().to_string())
        ))
        .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let (uri, version) = (doc.uri.clone(), doc.version);
        {
            let mut s = self.state();
            let format = format_of(&s.config, &doc.uri, &doc.language_id);
            s.documents
                .insert(doc.uri, OpenDocument::new(&doc.text, doc.version, format));
        }
        self.schedule(uri, version);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let applied = {
            let mut s = self.state();
            let encoding = s.encoding;
            match s.documents.get_mut(&uri) {
                None => Err(format!(
                    "change to {} which is not open; ignored",
                    uri.as_str()
                )),
                Some(doc) if version <= doc.version => Err(format!(
                    "change to {} for version {version}, but version {} is newer; ignored",
                    uri.as_str(),
                    doc.version
                )),
                Some(doc) => {
                    doc.apply(params.content_changes, version, encoding);
                    Ok(())
                }
            }
        };
        match applied {
            Ok(()) => self.schedule(uri, version),
            Err(message) => self.log(message).await,
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.state().documents.remove(&uri);
        publish(&self.outbox, &uri, &[], None);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        // Some editors send `null` or `{}` when the user has no settings for
        // us (Eglot does on connecting): that changes nothing, and must not
        // wipe the settings given at start-up.
        if !Settings::says_anything(&params.settings) {
            return;
        }
        self.state().settings = Settings::from_json(Some(&params.settings));
        self.reload().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.reload().await;
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = diagnostics_for(&self.state, &uri, None)
            .await
            .ok_or_else(|| Error::invalid_params(format!("{} is not open", uri.as_str())))?;
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items: items.iter().map(|d| Diagnostic::clone(d)).collect(),
                },
            }),
        ))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self
            .with_analysis(&params.text_document.uri, |m, a| {
                DocumentSymbolResponse::Nested(features::document_symbols(m, &a.doc))
            })
            .await)
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let uris: Vec<Uri> = self.state().documents.keys().cloned().collect();
        let mut found = Vec::new();
        for uri in uris {
            let Some((analysis, encoding)) = analyse(&self.state, &uri).await else {
                continue;
            };
            let m = Mapper::new(&analysis, encoding);
            for (name, kind, span) in features::matching_sections(&analysis.doc, &params.query) {
                found.push(WorkspaceSymbol {
                    name,
                    kind,
                    tags: None,
                    container_name: None,
                    location: OneOf::Left(features::location(&uri, m.range(span))),
                    data: None,
                });
            }
        }
        Ok(Some(WorkspaceSymbolResponse::Nested(found)))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self
            .with_analysis(&params.text_document.uri, |m, a| {
                features::folding_ranges(m, &a.doc)
            })
            .await)
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        Ok(self
            .with_analysis(&at.text_document.uri, |m, a| {
                features::hover(m, a, m.offset(at.position))
            })
            .await
            .flatten())
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let uri = at.text_document.uri;
        Ok(self
            .with_analysis(&uri, |m, a| {
                ide::definition(a.navigation(), m.offset(at.position)).map(|span| {
                    GotoDefinitionResponse::Scalar(features::location(&uri, m.range(span)))
                })
            })
            .await
            .flatten())
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let uri = at.text_document.uri;
        let include = params.context.include_declaration;
        Ok(self
            .with_analysis(&uri, |m, a| {
                ide::references(&a.doc, a.navigation(), m.offset(at.position), include)
                    .into_iter()
                    .map(|span| features::location(&uri, m.range(span)))
                    .collect()
            })
            .await)
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let only = params.context.only;
        let Some((analysis, encoding)) = analyse(&self.state, &uri).await else {
            return Ok(None);
        };
        let m = Mapper::new(&analysis, encoding);
        let range = m.span(params.range);
        let mut actions = features::code_actions(&m, &uri, &analysis, range, only.as_deref());
        let fix_all_wanted = only.as_deref().is_none_or(|kinds| {
            kinds.iter().any(|k| {
                FIX_ALL.starts_with(k.as_str()) && k.as_str() != CodeActionKind::QUICKFIX.as_str()
            })
        });
        let has_safe_fix = analysis
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| f.safe));
        if fix_all_wanted && has_safe_fix {
            // Fixing checks the text again up to eight times: that runs off
            // the async workers, and its result is dropped if the document
            // changed meanwhile.
            let linter = linter_for(&self.state().linter, &uri);
            let (doc, format) = (analysis.doc.clone(), analysis.format);
            let fixed = tokio::task::spawn_blocking(move || {
                fix_text(&doc.text, format, &linter, FixMode::Safe)
            })
            .await
            .map_err(|_| Error::internal_error())?;
            if version_of(&self.state, &uri) != Some(analysis.version) {
                return Err(Error::content_modified());
            }
            if fixed.fixes > 0 {
                actions.push(features::fix_all_action(&m, &uri, &fixed.text, fixed.fixes));
            }
        }
        Ok(Some(
            actions
                .into_iter()
                .map(CodeActionOrCommand::CodeAction)
                .collect(),
        ))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let args = params.arguments;
        let text = |i: usize| args.get(i).and_then(Value::as_str).map(String::from);
        let (Some(value), document) = (text(0), text(1)) else {
            return Err(Error::invalid_params("expected a word or rule name"));
        };
        let path = self.config_path(document.as_deref()).ok_or_else(|| {
            Error::invalid_params("no workspace folder to write policylint.toml in")
        })?;
        let result = match params.command.as_str() {
            ADD_WORD => workspace::add_word(&path, &value),
            DISABLE_RULE => {
                if crate::rules::by_name(&value).is_none() {
                    return Err(Error::invalid_params(format!("unknown rule `{value}`")));
                }
                workspace::disable_rule(&path, &value)
            }
            other => return Err(Error::invalid_params(format!("unknown command `{other}`"))),
        };
        if let Err(message) = result {
            self.client
                .show_message(MessageType::ERROR, format!("policylint: {message}"))
                .await;
            return Err(Error::internal_error());
        }
        self.log(format!(
            "{}: {value} written to {}",
            params.command,
            path.display()
        ))
        .await;
        self.reload().await;
        Ok(None)
    }
}
