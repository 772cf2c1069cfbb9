// What both tests expect of the seed document: its findings as
// [rule, line, character], zero-based as LSP and VS Code count.

/** Diagnostics (LSP's, or VS Code's whose code may be an object) as sorted triples. */
function found(diagnostics) {
    return diagnostics
        .map((d) => [d.code?.value ?? d.code, d.range.start.line, d.range.start.character])
        .sort((a, b) => String(a).localeCompare(String(b), "en", { numeric: true }));
}

const SEED_FINDINGS = [
    ["duplicate-heading", 4, 0],
    ["duplicate-heading", 46, 0],
    ["empty-metadata", 2, 23],
    ["real-word", 32, 846],
    ["real-word", 38, 410],
    ["real-word", 44, 706],
];

module.exports = { found, SEED_FINDINGS };
