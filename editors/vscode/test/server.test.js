// The VS Code extension's view of `policylint lsp`: the real server, driven
// over stdio by vscode-jsonrpc and vscode-languageserver-protocol (what
// vscode-languageclient is built on), with the settings, the binary lookup
// and the document selector computed by the extension's own module
// (out/settings.js, built from src/settings.ts) from the defaults that
// package.json contributes.
//
// Run by scripts/e2e-vscode.sh (`npm test` here, after `npm run build`,
// with the server's directory first on PATH).
"use strict";

const { describe, test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { found, SEED_FINDINGS } = require("./seed");
const childProcess = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter,
    InitializeRequest,
    InitializedNotification,
    ShutdownRequest,
    ExitNotification,
    DidOpenTextDocumentNotification,
    DidChangeTextDocumentNotification,
    DidChangeConfigurationNotification,
    PublishDiagnosticsNotification,
    ShowMessageNotification,
    LogMessageNotification,
    RegistrationRequest,
    DocumentDiagnosticRequest,
    DocumentSymbolRequest,
    CodeActionRequest,
    SymbolKind,
    DiagnosticSeverity,
} = require("vscode-languageserver-protocol/node");

const settings = require("../out/settings.js");
const manifest = require("../package.json");

const REPO = path.resolve(__dirname, "..", "..", "..");
const SEED = path.join(REPO, "seeds", "cyberspace-community.txt");
const TEXT = fs.readFileSync(SEED, "utf8");
const URI = pathToFileURL(SEED).href;
/** How long one answer may take: a hang guard, not a performance bound. */
const PATIENCE_MS = 20000;

/**
 * A stand-in for `vscode.workspace.getConfiguration("policylint")`: the
 * defaults package.json contributes, with the user's settings on top.
 */
function configuration(user = {}) {
    const values = {};
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
        values[key.slice("policylint.".length)] = property.default;
    }
    Object.assign(values, user);
    return { get: (section) => values[section] };
}

/** Applies LSP text edits (UTF-16 positions, as JavaScript strings count). */
function applyEdits(text, edits) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
        if (text[i] === "\n") {
            starts.push(i + 1);
        }
    }
    const offset = (p) => starts[p.line] + p.character;
    const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
    for (const e of sorted) {
        text = text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
    }
    return text;
}

/** `policylint lsp` in a workspace folder, spoken to as VS Code's client does. */
class Session {
    constructor(workspace, config) {
        this.workspace = workspace;
        this.config = config;
        this.diagnostics = new Map();
        this.waiters = [];
        this.messages = [];
        this.stderr = "";
    }

    async start() {
        // The binary as the extension finds it: policylint.path (default
        // `policylint`) on PATH.
        const command = settings.resolveBinary(this.config.get("path"), this.workspace);
        assert.ok(command, settings.notFoundMessage(this.config.get("path")));
        this.child = childProcess.spawn(command, ["lsp"], { cwd: this.workspace, stdio: "pipe" });
        this.child.stderr.on("data", (chunk) => (this.stderr += chunk));
        this.exited = new Promise((resolve) => this.child.on("exit", resolve));
        this.connection = createProtocolConnection(
            new StreamMessageReader(this.child.stdout),
            new StreamMessageWriter(this.child.stdin),
        );
        this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
            this.diagnostics.set(params.uri, params.diagnostics);
            this.waiters = this.waiters.filter((check) => !check());
        });
        this.connection.onNotification(ShowMessageNotification.type, (m) => this.messages.push(m));
        this.connection.onNotification(LogMessageNotification.type, () => {});
        this.connection.onRequest(RegistrationRequest.type, () => null);
        this.connection.listen();
        const folder = pathToFileURL(this.workspace).href;
        const result = await this.connection.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            clientInfo: { name: "Visual Studio Code (test)" },
            rootUri: folder,
            workspaceFolders: [{ uri: folder, name: path.basename(this.workspace) }],
            // What the extension computes for `initializationOptions`; like
            // it, the capabilities offer no pull diagnostics.
            initializationOptions: settings.serverSettings(this.config),
            capabilities: {
                general: { positionEncodings: ["utf-16"] },
                textDocument: {
                    synchronization: { dynamicRegistration: true, didSave: true },
                    publishDiagnostics: { relatedInformation: true, versionSupport: false, codeDescriptionSupport: true, dataSupport: true },
                    documentSymbol: { hierarchicalDocumentSymbolSupport: true, labelSupport: true },
                    codeAction: {
                        isPreferredSupport: true,
                        codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "source", "source.fixAll"] } },
                    },
                },
                workspace: {
                    configuration: true,
                    didChangeConfiguration: { dynamicRegistration: true },
                    didChangeWatchedFiles: { dynamicRegistration: true },
                    workspaceFolders: true,
                },
            },
        });
        await this.connection.sendNotification(InitializedNotification.type, {});
        return result;
    }

    /** Resolves once the diagnostics pushed for `uri` satisfy `predicate`. */
    waitForDiagnostics(uri, predicate, what) {
        return new Promise((resolve, reject) => {
            const check = () => {
                const diagnostics = this.diagnostics.get(uri);
                if (diagnostics !== undefined && predicate(diagnostics)) {
                    clearTimeout(timer);
                    resolve(diagnostics);
                    return true;
                }
                return false;
            };
            const timer = setTimeout(() => {
                this.waiters = this.waiters.filter((w) => w !== check);
                const last = this.diagnostics.get(uri);
                reject(new Error(`no diagnostics ${what} within ${PATIENCE_MS} ms; last: ${JSON.stringify(last && found(last))}\nserver stderr:\n${this.stderr}`));
            }, PATIENCE_MS);
            if (!check()) {
                this.waiters.push(check);
            }
        });
    }

    async open(uri, text, languageId = "plaintext") {
        // The extension checks the languages and patterns of its selector.
        const selector = settings.documentSelector(this.config);
        assert.ok(
            selector.some((f) => f.scheme === "file" && f.language === languageId),
            `the extension's document selector ${JSON.stringify(selector)} takes ${languageId} files`,
        );
        await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId, version: 1, text },
        });
    }

    async close() {
        if (this.connection === undefined) {
            return;
        }
        const timeout = setTimeout(() => this.child.kill(), PATIENCE_MS);
        try {
            await this.connection.sendRequest(ShutdownRequest.type);
            await this.connection.sendNotification(ExitNotification.type);
            assert.equal(await this.exited, 0, "the server exits cleanly after shutdown and exit");
        } finally {
            clearTimeout(timeout);
            this.connection.dispose();
        }
    }
}

const workspaces = [];
after(() => {
    for (const dir of workspaces) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

function workspace(files = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policylint-vscode-"));
    workspaces.push(dir);
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

describe("the extension's settings", () => {
    test("every contributed setting is either sent to the server or the client's alone", () => {
        const contributed = Object.keys(manifest.contributes.configuration.properties)
            .map((key) => key.slice("policylint.".length))
            .sort();
        const known = [...Object.keys(settings.SERVER_SETTINGS), ...settings.CLIENT_SETTINGS].sort();
        assert.deepEqual(contributed, known);
    });

    test("the rules offered for select, ignore and severity are the server's rules", () => {
        const command = settings.resolveBinary("policylint", undefined);
        assert.ok(command, settings.notFoundMessage("policylint"));
        const listed = childProcess
            .execFileSync(command, ["rules"], { encoding: "utf8" })
            .split("\n")
            .filter((line) => line.trim() !== "")
            .map((line) => line.split(/\s+/)[0]);
        const properties = manifest.contributes.configuration.properties;
        assert.deepEqual(properties["policylint.select"].items.enum, listed);
        assert.deepEqual(properties["policylint.ignore"].items.enum, listed);
        assert.deepEqual(properties["policylint.severity"].propertyNames.enum, listed);
    });

    test("the defaults send nothing, and client settings are never sent", () => {
        assert.deepEqual(settings.serverSettings(configuration()), {});
        const options = settings.serverSettings(
            configuration({ path: "/opt/policylint", "trace.server": "verbose", languages: ["plaintext"], filePatterns: ["**/*.pol"] }),
        );
        assert.deepEqual(options, {});
    });

    test("the user's settings become the keys of policylint.toml", () => {
        const options = settings.serverSettings(
            configuration({
                select: ["real-word", "numbering"],
                ignore: ["article"],
                severity: { numbering: "error" },
                "dictionary.words": ["Guangming"],
                "acronyms.known": ["CAC"],
                language: "en-GB",
                debounceMs: 250,
                "trace.server": "messages",
            }),
        );
        assert.deepEqual(options, {
            select: ["real-word", "numbering"],
            ignore: ["article"],
            severity: { numbering: "error" },
            dictionary: { words: ["Guangming"] },
            acronyms: { known: ["CAC"] },
            language: "en-GB",
            debounce_ms: 250,
        });
    });

    test("plain text and Markdown are checked, and more files by pattern", () => {
        assert.deepEqual(
            settings.documentSelector(configuration({ filePatterns: ["**/*.policy"] })),
            [
                { scheme: "file", language: "plaintext" },
                { scheme: "untitled", language: "plaintext" },
                { scheme: "file", language: "markdown" },
                { scheme: "untitled", language: "markdown" },
                { scheme: "file", pattern: "**/*.policy" },
            ],
        );
    });

    test("a missing binary is reported with how to install it", () => {
        const empty = workspace();
        assert.equal(settings.resolveBinary("policylint-not-installed", empty, { PATH: empty, CARGO_HOME: empty }), undefined);
        assert.equal(settings.resolveBinary("./bin/policylint", empty), undefined);
        const message = settings.notFoundMessage(undefined);
        assert.match(message, /`policylint` was not found on PATH/);
        assert.match(message, /cargo install --path \./);
        assert.match(message, /policylint\.path/);
        // A path relative to the workspace folder, as in a clone of the repository.
        fs.mkdirSync(path.join(empty, "bin"));
        const binary = path.join(empty, "bin", "policylint");
        fs.copyFileSync(settings.resolveBinary("policylint", undefined), binary);
        fs.chmodSync(binary, 0o755);
        assert.equal(settings.resolveBinary("./bin/policylint", empty), binary);
        assert.equal(settings.resolveBinary("${workspaceFolder}/bin/policylint", empty), binary);
    });
});

describe("the seed document in VS Code", () => {
    let session;
    before(async () => {
        // The user's debounce, so the test need not wait the default 100 ms.
        session = new Session(workspace(), configuration({ debounceMs: 20, "trace.server": "verbose" }));
        const result = await session.start();
        assert.equal(result.capabilities.positionEncoding ?? "utf-16", "utf-16");
        await session.open(URI, TEXT);
    });
    after(() => session.close());

    test("diagnostics are pushed at the right places", async () => {
        const diagnostics = await session.waitForDiagnostics(URI, (d) => d.length > 0, "for the seed");
        assert.deepEqual(found(diagnostics), SEED_FINDINGS);
        for (const d of diagnostics) {
            assert.equal(d.source, "policylint");
        }
        const words = diagnostics
            .filter((d) => d.code === "real-word")
            .map((d) => TEXT.split("\n")[d.range.start.line].slice(d.range.start.character, d.range.end.character));
        assert.deepEqual(words.sort(), ["ethnics", "ethnics", "pubic"]);
        const pubic = diagnostics.find((d) => d.range.start.line === 38);
        assert.match(pubic.message, /public/);
    });

    test("pulled diagnostics agree", async () => {
        const report = await session.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } });
        assert.equal(report.kind, "full");
        assert.deepEqual(found(report.items), SEED_FINDINGS);
    });

    test("the outline is the title holding the numbered sections", async () => {
        const symbols = await session.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: URI } });
        assert.equal(symbols.length, 1);
        const [title] = symbols;
        assert.equal(title.kind, SymbolKind.File);
        assert.match(title.name, /^Jointly Build a Community/);
        assert.deepEqual(
            title.children.map((s) => s.selectionRange.start.line),
            [8, 22, 34],
        );
        assert.deepEqual(
            title.children.map((s) => s.children?.length ?? 0),
            [0, 4, 4],
        );
        assert.equal(title.children[2].children[3].name, "Maintain good order");
    });

    test("the quick fix for pubic mends the text and its diagnostic goes", async () => {
        const actions = await session.connection.sendRequest(CodeActionRequest.type, {
            textDocument: { uri: URI },
            range: { start: { line: 38, character: 412 }, end: { line: 38, character: 412 } },
            context: { diagnostics: session.diagnostics.get(URI).filter((d) => d.range.start.line === 38) },
        });
        const fix = actions.find((a) => a.title === "Replace with `public`");
        assert.ok(fix, `a "Replace with \`public\`" action among ${JSON.stringify(actions.map((a) => a.title))}`);
        assert.equal(fix.isPreferred, true);
        assert.equal(fix.kind, "quickfix");
        const edits = fix.edit.changes[URI];
        const fixed = applyEdits(TEXT, edits);
        assert.match(fixed.split("\n")[38], /formulate public policies/);
        await session.connection.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri: URI, version: 2 },
            contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
        });
        const after = await session.waitForDiagnostics(URI, (d) => d.length === 5, "after the fix");
        assert.deepEqual(found(after), SEED_FINDINGS.filter(([, line]) => line !== 38));
        const pulled = await session.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: URI } });
        assert.deepEqual(found(pulled.items), SEED_FINDINGS.filter(([, line]) => line !== 38));
    });

    test("the server never complained about the settings", () => {
        assert.deepEqual(session.messages, []);
    });
});

describe("settings over a workspace's policylint.toml", () => {
    let session;
    const toml = 'ignore = ["empty-metadata"]\n\n[severity]\nreal-word = "error"\n';
    before(async () => {
        session = new Session(workspace({ "policylint.toml": toml }), configuration({ debounceMs: 20 }));
        await session.start();
        await session.open(URI, TEXT);
    });
    after(() => session.close());

    test("unset settings leave the file's keys alone", async () => {
        const diagnostics = await session.waitForDiagnostics(URI, (d) => d.length > 0, "for the seed");
        assert.deepEqual(found(diagnostics), SEED_FINDINGS.filter(([rule]) => rule !== "empty-metadata"));
        assert.ok(diagnostics.filter((d) => d.code === "real-word").every((d) => d.severity === DiagnosticSeverity.Error));
    });

    test("a change of settings is sent as the extension sends it and takes effect", async () => {
        const changed = configuration({
            ignore: ["real-word"],
            severity: { "duplicate-heading": "error" },
            "dictionary.words": ["Guangming"],
            "acronyms.known": ["CAC"],
            language: "en-US",
            debounceMs: 20,
            path: "policylint",
            "trace.server": "verbose",
        });
        await session.connection.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { policylint: settings.serverSettings(changed) },
        });
        const diagnostics = await session.waitForDiagnostics(
            URI,
            (d) => !d.some((x) => x.code === "real-word"),
            "without real-word",
        );
        // `ignore` took the place of the file's; `severity` was merged into it.
        assert.deepEqual(found(diagnostics), SEED_FINDINGS.filter(([rule]) => rule !== "real-word"));
        for (const d of diagnostics.filter((x) => x.code === "duplicate-heading")) {
            assert.equal(d.severity, DiagnosticSeverity.Error);
        }
        assert.deepEqual(session.messages, [], "every key the extension sends is one the server knows");
    });
});
