// The VS Code face of `policylint lsp`: starts the server once a document it
// checks is open, keeps its settings in step, and says how to install it
// when it is missing. What the server receives is decided in ./settings.ts,
// which the end-to-end test runs against the real server.

import * as vscode from "vscode";
import {
    DidChangeConfigurationNotification,
    LanguageClient,
    LanguageClientOptions,
    ServerOptions,
    vsdiag,
} from "vscode-languageclient/node";

import {
    documentSelector,
    DocumentFilter,
    notFoundMessage,
    resolveBinary,
    RESTART_SETTINGS,
    SERVER_SETTINGS,
    serverSettings,
} from "./settings";

let output: vscode.OutputChannel;
let client: LanguageClient | undefined;
/** Whether a start was tried since activation or the last restart. */
let tried = false;
/** Start and stop one at a time. */
let queue: Promise<void> = Promise.resolve();

function serialized(task: () => Promise<void>): Promise<void> {
    queue = queue.then(task, task);
    return queue;
}

export function activate(context: vscode.ExtensionContext): void {
    output = vscode.window.createOutputChannel("policylint");
    context.subscriptions.push(
        output,
        vscode.commands.registerCommand("policylint.restart", () => serialized(restart)),
        vscode.commands.registerCommand("policylint.showOutput", () => output.show(true)),
        vscode.workspace.onDidChangeConfiguration((event) => serialized(() => onConfigurationChange(event))),
        vscode.workspace.onDidOpenTextDocument(() => serialized(startIfNeeded)),
    );
    void serialized(startIfNeeded);
}

export function deactivate(): Promise<void> {
    return serialized(stop);
}

function configuration(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration("policylint");
}

function workspaceFolder(): string | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file")?.uri.fsPath;
}

/** Starts the server when a document it checks is open (once until a restart). */
async function startIfNeeded(): Promise<void> {
    if (tried) {
        return;
    }
    const selector = documentSelector(configuration());
    if (vscode.workspace.textDocuments.some((document) => vscode.languages.match(selector, document) > 0)) {
        await start();
    }
}

async function start(): Promise<void> {
    tried = true;
    const config = configuration();
    const setting = config.get<string>("path");
    const command = resolveBinary(setting, workspaceFolder());
    if (command === undefined) {
        const message = notFoundMessage(setting);
        output.appendLine(message);
        // Not awaited: nothing waits for the user to click.
        void vscode.window.showErrorMessage(message, "Open Settings", "Show Output").then((choice) => {
            if (choice === "Open Settings") {
                void vscode.commands.executeCommand("workbench.action.openSettings", "policylint.path");
            } else if (choice === "Show Output") {
                output.show(true);
            }
        });
        return;
    }
    const selector: DocumentFilter[] = documentSelector(config);
    const initializationOptions = serverSettings(config);
    output.appendLine(`Starting ${command} lsp with ${JSON.stringify(initializationOptions)}`);
    // Standard input and output are the server's only transport, so no
    // `transport` (which would add a `--stdio` the server merely ignores).
    const serverOptions: ServerOptions = { command, args: ["lsp"], options: { cwd: workspaceFolder() } };
    const clientOptions: LanguageClientOptions = {
        documentSelector: selector,
        initializationOptions,
        outputChannel: output,
        // Diagnostics are taken as the server pushes them: after its
        // debounce (`policylint.debounceMs`), and again for every open
        // document when the configuration changes. The client neither
        // offers to pull nor pulls (see registerFeature below), so the
        // server, which pushes only to clients that do not pull, pushes.
        diagnosticPullOptions: { onChange: false, onSave: false },
        middleware: {
            provideDiagnostics: () => ({ kind: vsdiag.DocumentDiagnosticReportKind.full, items: [] }),
        },
        // Deliberately no `synchronize.configurationSection`: the client
        // would send every `policylint.*` setting, `path` and `trace`
        // included, and the server rejects keys it does not know. Changes
        // are sent by onConfigurationChange instead.
    };
    const starting = new LanguageClient("policylint", "policylint", serverOptions, clientOptions);
    // Registered after the client's own features, so it runs after them:
    // the server is told this client takes pushed diagnostics only.
    starting.registerFeature({
        fillClientCapabilities: (capabilities) => {
            delete capabilities.textDocument?.diagnostic;
        },
        initialize: () => {},
        getState: () => ({ kind: "static" }),
        clear: () => {},
    });
    client = starting;
    try {
        await starting.start();
    } catch (error) {
        output.appendLine(`The server did not start: ${error}`);
        void vscode.window
            .showErrorMessage(`policylint: the language server \`${command}\` did not start: ${error}`, "Show Output")
            .then((choice) => {
                if (choice !== undefined) {
                    output.show(true);
                }
            });
    }
}

async function stop(): Promise<void> {
    const running = client;
    client = undefined;
    tried = false;
    if (running === undefined) {
        return;
    }
    try {
        await running.stop();
    } catch (error) {
        // A server that never started or already died cannot be stopped.
        output.appendLine(`Stopping the server: ${error}`);
    }
}

async function restart(): Promise<void> {
    await stop();
    await start();
}

async function onConfigurationChange(event: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!event.affectsConfiguration("policylint")) {
        return;
    }
    if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(`policylint.${key}`))) {
        if (client !== undefined) {
            await restart();
        } else {
            tried = false;
            await startIfNeeded();
        }
        return;
    }
    const sent = Object.keys(SERVER_SETTINGS).some((key) => event.affectsConfiguration(`policylint.${key}`));
    if (sent && client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
            settings: { policylint: serverSettings(configuration()) },
        });
    }
}
