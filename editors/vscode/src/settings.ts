// What the extension sends the server and which binary it starts, from the
// `policylint.*` settings. This module does not import `vscode`, so that the
// end-to-end test (test/server.test.js) runs this very code against the real
// server.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The part of `vscode.WorkspaceConfiguration` this module reads. */
export interface Configuration {
    get<T>(section: string): T | undefined;
}

/**
 * The settings the server receives, by their name under `policylint.` and
 * their key in the server's settings (the keys of `policylint.toml`, plus
 * `debounce_ms`).
 */
export const SERVER_SETTINGS: Readonly<Record<string, string[]>> = {
    select: ["select"],
    ignore: ["ignore"],
    severity: ["severity"],
    "dictionary.words": ["dictionary", "words"],
    "acronyms.known": ["acronyms", "known"],
    language: ["language"],
    debounceMs: ["debounce_ms"],
};

/**
 * Settings of the client alone. The server rejects a key it does not know,
 * so none of these is ever sent.
 */
export const CLIENT_SETTINGS: readonly string[] = ["path", "languages", "filePatterns", "trace.server"];

/** Settings whose change needs a new server rather than a notification. */
export const RESTART_SETTINGS: readonly string[] = ["path", "languages", "filePatterns"];

/**
 * The server's settings: sent as `initializationOptions` and, under a
 * `policylint` key, as the `settings` of `workspace/didChangeConfiguration`.
 *
 * A key sent here takes the place of the same key of the workspace's
 * `policylint.toml`, so a setting left empty is not sent: an unset
 * `policylint.ignore` must not wipe the file's `ignore`.
 */
export function serverSettings(config: Configuration): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    const put = (keys: string[], value: unknown): void => {
        let table = settings;
        for (const key of keys.slice(0, -1)) {
            table = (table[key] ??= {}) as Record<string, unknown>;
        }
        table[keys[keys.length - 1]] = value;
    };
    for (const [name, keys] of Object.entries(SERVER_SETTINGS)) {
        const value = config.get<unknown>(name);
        if (Array.isArray(value)) {
            if (value.length > 0) {
                put(keys, [...value]);
            }
        } else if (typeof value === "number") {
            if (Number.isFinite(value) && value >= 0) {
                put(keys, Math.round(value));
            }
        } else if (typeof value === "string") {
            if (value !== "") {
                put(keys, value);
            }
        } else if (value !== null && typeof value === "object") {
            if (Object.keys(value).length > 0) {
                put(keys, { ...value });
            }
        }
    }
    return settings;
}

/** A document filter of `vscode-languageclient`. */
export interface DocumentFilter {
    scheme: string;
    language?: string;
    pattern?: string;
}

/** The documents the server checks: `policylint.languages` and `policylint.filePatterns`. */
export function documentSelector(config: Configuration): DocumentFilter[] {
    const selector: DocumentFilter[] = [];
    for (const language of config.get<string[]>("languages") ?? []) {
        // Unsaved documents too: a pasted draft is checked before it is saved.
        selector.push({ scheme: "file", language }, { scheme: "untitled", language });
    }
    for (const pattern of config.get<string[]>("filePatterns") ?? []) {
        selector.push({ scheme: "file", pattern });
    }
    return selector;
}

/**
 * The binary to run, from `policylint.path`: `~` and `${workspaceFolder}`
 * expanded, a path with a slash taken from the workspace folder, a bare
 * name looked up on `PATH` and then in Cargo's bin directory (VS Code
 * started from a desktop menu often has a `PATH` without `~/.cargo/bin`,
 * where `cargo install` puts it). `undefined` when there is no such
 * executable file.
 */
export function resolveBinary(
    setting: string | undefined,
    workspaceFolder: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
): string | undefined {
    let name = (setting ?? "").trim() || "policylint";
    if (workspaceFolder !== undefined) {
        name = name.split("${workspaceFolder}").join(workspaceFolder);
    }
    if (name === "~" || name.startsWith("~/") || name.startsWith("~\\")) {
        name = path.join(os.homedir(), name.slice(1));
    }
    const windows = process.platform === "win32";
    const candidates = (file: string): string[] =>
        windows && path.extname(file) === "" ? [file + ".exe", file] : [file];
    const executable = (file: string): boolean => {
        try {
            fs.accessSync(file, windows ? fs.constants.F_OK : fs.constants.X_OK);
            return fs.statSync(file).isFile();
        } catch {
            return false;
        }
    };
    if (name.includes("/") || name.includes(path.sep)) {
        const full = path.resolve(workspaceFolder ?? process.cwd(), name);
        return candidates(full).find(executable);
    }
    const cargoBin = path.join(env.CARGO_HOME || path.join(os.homedir(), ".cargo"), "bin");
    for (const dir of [...(env.PATH ?? "").split(path.delimiter), cargoBin]) {
        if (dir !== "") {
            const found = candidates(path.join(dir, name)).find(executable);
            if (found !== undefined) {
                return found;
            }
        }
    }
    return undefined;
}

/** What to tell a user whose binary was not found. */
export function notFoundMessage(setting: string | undefined): string {
    const name = (setting ?? "").trim() || "policylint";
    const where = name.includes("/") || name.includes(path.sep) ? "was not found" : "was not found on PATH";
    return (
        `policylint: the language server \`${name}\` ${where}. ` +
        "Install it with `cargo install --path .` in a clone of the policylint repository " +
        "(it goes to ~/.cargo/bin), or set `policylint.path` to the binary; " +
        'then run "policylint: Restart the language server".'
    );
}
