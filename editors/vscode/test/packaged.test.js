// The extension as packaged in the .vsix (unpacked into $EXTENSION_DIR by
// scripts/e2e-vscode.sh), run without VS Code: its bundled script, with the
// real vscode-languageclient inside, is loaded with a stand-in for the
// `vscode` module that keeps what the extension and the client ask of VS
// Code (output, messages, diagnostic collections, event listeners) and
// answers the rest with inert stubs. With the server under test on PATH it
// checks activation, what goes over the wire, the diagnostics VS Code would
// show, a change of settings and the message for a missing binary.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const { found, SEED_FINDINGS } = require("./seed");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const root = process.env.EXTENSION_DIR;
const manifest = require(path.join(root, "package.json"));
const SEED = path.resolve(__dirname, "..", "..", "..", "seeds", "cyberspace-community.txt");
const TEXT = fs.readFileSync(SEED, "utf8");
const PATIENCE_MS = 20000;

/** Something VS Code would return that the test does not care about. */
function inert(name) {
    const stub = function () {
        return inert(`${name}()`);
    };
    return new Proxy(stub, {
        get(target, key) {
            if (key === Symbol.iterator) {
                return function* () {};
            }
            if (key === Symbol.toPrimitive) {
                return () => name;
            }
            if (key === "then") {
                return undefined;
            }
            if (key === "prototype") {
                return target.prototype;
            }
            return key === "dispose" ? () => {} : inert(`${name}.${String(key)}`);
        },
    });
}

/** The API with the user's `policylint.*` settings over the contributed defaults. */
function fakeVscode(user) {
    const seen = { commands: [], messages: [], output: [], collections: [], configurationListeners: [] };
    const values = {};
    for (const [key, property] of Object.entries(manifest.contributes.configuration.properties)) {
        values[key.slice("policylint.".length)] = property.default;
    }
    Object.assign(values, user);

    class Disposable {
        constructor(dispose) {
            this.dispose = dispose ?? (() => {});
        }
        static from(...all) {
            return new Disposable(() => all.forEach((d) => d?.dispose?.()));
        }
    }
    const event = () => new Disposable();
    class EventEmitter {
        constructor() {
            this.listeners = [];
            this.event = (listener) => (this.listeners.push(listener), new Disposable());
        }
        fire(value) {
            this.listeners.forEach((listener) => listener(value));
        }
        dispose() {}
    }
    class CancellationTokenSource {
        constructor() {
            this.token = { isCancellationRequested: false, onCancellationRequested: event };
        }
        cancel() {
            this.token.isCancellationRequested = true;
        }
        dispose() {}
    }
    class Uri {
        constructor(text) {
            const url = new URL(text);
            this.text = text;
            this.scheme = url.protocol.slice(0, -1);
            this.path = url.pathname;
            this.fsPath = decodeURIComponent(url.pathname);
        }
        toString() {
            return this.text;
        }
        with() {
            return this;
        }
        static parse(text) {
            return new Uri(text);
        }
        static file(file) {
            return new Uri(pathToFileURL(file).href);
        }
    }
    class Position {
        constructor(line, character) {
            Object.assign(this, { line, character });
        }
    }
    class Range {
        constructor(a, b, c, d) {
            [this.start, this.end] = typeof a === "number" ? [new Position(a, b), new Position(c, d)] : [a, b];
        }
    }
    class TabInputText {
        constructor(uri) {
            this.uri = uri;
        }
    }
    class Diagnostic {
        constructor(range, message, severity) {
            Object.assign(this, { range, message, severity });
        }
    }
    const document = {
        uri: Uri.file(SEED),
        fileName: SEED,
        languageId: "plaintext",
        version: 1,
        isClosed: false,
        lineCount: TEXT.split("\n").length,
        getText: () => TEXT,
    };
    const api = {
        version: "1.82.0",
        Disposable,
        EventEmitter,
        CancellationTokenSource,
        Uri,
        Position,
        Range,
        Diagnostic,
        TabInputText,
        DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
        env: { language: "en", appName: "stand-in", machineId: "0", sessionId: "0" },
        window: {
            createOutputChannel: (name) => ({
                name,
                append: (text) => seen.output.push(text),
                appendLine: (text) => seen.output.push(text),
                show() {},
                clear() {},
                dispose() {},
            }),
            showErrorMessage: (message, ...items) => (seen.messages.push({ message, items }), Promise.resolve(undefined)),
            showWarningMessage: (message, ...items) => (seen.messages.push({ message, items }), Promise.resolve(undefined)),
            showInformationMessage: (message, ...items) => (seen.messages.push({ message, items }), Promise.resolve(undefined)),
            activeTextEditor: undefined,
            visibleTextEditors: [],
            // The seed is open in a tab, so the client would pull its diagnostics.
            tabGroups: { all: [{ tabs: [{ input: new TabInputText(document.uri) }] }], onDidChangeTabs: event, onDidChangeTabGroups: event },
        },
        commands: {
            registerCommand: (name) => (seen.commands.push(name), new Disposable()),
            executeCommand: () => Promise.resolve(),
        },
        workspace: {
            workspaceFolders: undefined,
            textDocuments: [document],
            notebookDocuments: [],
            getConfiguration: (section) => ({
                get: (key, fallback) => (section === "policylint" && key in values ? values[key] : fallback),
                has: () => false,
                inspect: () => undefined,
                update: () => Promise.resolve(),
            }),
            onDidChangeConfiguration: (listener) => (seen.configurationListeners.push(listener), new Disposable()),
            createFileSystemWatcher: () => ({ onDidCreate: event, onDidChange: event, onDidDelete: event, dispose() {} }),
        },
        languages: {
            match: (selector, doc) =>
                selector.some(
                    (f) => (f.scheme === undefined || f.scheme === doc.uri.scheme) && (f.language === undefined || f.language === doc.languageId),
                )
                    ? 10
                    : 0,
            createDiagnosticCollection: (name) => {
                const collection = {
                    name,
                    entries: new Map(),
                    set(uri, diagnostics) {
                        const pairs = Array.isArray(uri) ? uri : [[uri, diagnostics]];
                        for (const [u, d] of pairs) {
                            collection.entries.set(String(u), d ?? []);
                        }
                    },
                    get: (uri) => collection.entries.get(String(uri)),
                    has: (uri) => collection.entries.has(String(uri)),
                    delete: (uri) => collection.entries.delete(String(uri)),
                    clear: () => collection.entries.clear(),
                    forEach() {},
                    dispose() {},
                };
                seen.collections.push(collection);
                return collection;
            },
        },
    };
    // Any other `onDid…` is an event nobody fires; anything else is inert.
    for (const namespace of ["window", "workspace", "languages", "commands", "env"]) {
        api[namespace] = new Proxy(api[namespace], {
            get: (target, key) =>
                key in target ? target[key] : String(key).startsWith("on") ? event : inert(`vscode.${namespace}.${String(key)}`),
        });
    }
    const vscode = new Proxy(api, { get: (target, key) => (key in target ? target[key] : inert(`vscode.${String(key)}`)) });
    return { vscode, seen, values, uri: document.uri.toString() };
}

function loadExtension(vscode) {
    const load = Module._load;
    Module._load = function (request, ...rest) {
        return request === "vscode" ? vscode : load.call(this, request, ...rest);
    };
    try {
        const main = require.resolve(path.join(root, manifest.main));
        delete require.cache[main];
        return require(main);
    } finally {
        Module._load = load;
    }
}

async function until(what, condition) {
    const deadline = Date.now() + PATIENCE_MS;
    while (!condition()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

/** The JSON `Params` of a traced message ("verbose" trace in the output). */
function traced(output, message) {
    const text = output.join("\n");
    const at = text.indexOf(message);
    assert.ok(at >= 0, `the trace shows ${message}`);
    const params = text.slice(text.indexOf("Params: ", at) + "Params: ".length);
    let depth = 0;
    for (let i = 0; i < params.length; i++) {
        depth += params[i] === "{" ? 1 : params[i] === "}" ? -1 : 0;
        if (depth === 0) {
            return JSON.parse(params.slice(0, i + 1));
        }
    }
    throw new Error(`no JSON after ${message}`);
}

test("the packaged extension starts the server and shows its findings once", async () => {
    const { vscode, seen, values, uri } = fakeVscode({ debounceMs: 20, "trace.server": "verbose" });
    const extension = loadExtension(vscode);
    extension.activate({ subscriptions: [] });
    assert.deepEqual(seen.commands, ["policylint.restart", "policylint.showOutput"]);

    const shown = () => seen.collections.flatMap((c) => (c.get(uri)?.length ? [c] : []));
    await until("diagnostics for the seed", () => shown().length > 0);
    // What went to the server: the server's keys only, not path or trace.
    const initialize = traced(seen.output, "Sending request 'initialize");
    assert.deepEqual(initialize.initializationOptions, { debounce_ms: 20 });
    // The client asks for pushed diagnostics only.
    assert.ok(initialize.capabilities.textDocument.publishDiagnostics);
    assert.equal(initialize.capabilities.textDocument.diagnostic, undefined);
    const start = seen.output.find((line) => String(line).startsWith("Starting "));
    assert.match(start, /policylint lsp/);
    // One collection holds them (the pushed ones); nothing is pulled.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(shown().length, 1, "the findings are shown once");
    assert.deepEqual(found(shown()[0].get(uri)), SEED_FINDINGS);
    assert.ok(!seen.output.join("\n").includes("Sending request 'textDocument/diagnostic"), "no pull request");

    // The user ignores real-word: the extension sends the new settings.
    values.ignore = ["real-word"];
    const change = { affectsConfiguration: (section) => ["policylint", "policylint.ignore"].includes(section) };
    await Promise.all(seen.configurationListeners.map((listener) => listener(change)));
    await until("diagnostics without real-word", () => !shown()[0].get(uri).some((d) => (d.code?.value ?? d.code) === "real-word"));
    assert.deepEqual(traced(seen.output, "Sending notification 'workspace/didChangeConfiguration").settings, {
        policylint: { ignore: ["real-word"], debounce_ms: 20 },
    });
    assert.deepEqual(seen.messages, [], "no error or warning shown");

    await extension.deactivate();
    await until("the server to exit", () => seen.output.join("\n").includes("Sending notification 'exit'"));
});

test("a missing binary is reported with how to install it", async () => {
    const { vscode, seen } = fakeVscode({ path: "policylint-not-installed" });
    const extension = loadExtension(vscode);
    extension.activate({ subscriptions: [] });
    await until("an error message", () => seen.messages.length > 0);
    assert.equal(seen.messages.length, 1, "one message");
    const [{ message, items }] = seen.messages;
    assert.match(message, /`policylint-not-installed` was not found on PATH/);
    assert.match(message, /cargo install --path \./);
    assert.deepEqual(items, ["Open Settings", "Show Output"]);
    assert.ok(seen.output.some((line) => String(line).includes("cargo install --path .")), "the output says it too");
    await extension.deactivate();
});
