"""policylint's language server, driven by pytest-lsp (pygls), a client we
did not write: what an editor sees when it opens the seed document."""
import asyncio
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from conftest import SEED, SERVER  # noqa: E402

TEXT = SEED.read_text(encoding="utf-8")
URI = SEED.as_uri()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[SERVER, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(
                general=types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf16]),
            ),
            root_uri=tmp_path.as_uri(),
            initialization_options={"debounce_ms": 20},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def open_seed(client: LanguageClient):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="plaintext", version=1, text=TEXT)
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return client.diagnostics[URI]


def found(diagnostics):
    return sorted((d.code, d.range.start.line, d.range.start.character) for d in diagnostics)


@pytest.mark.asyncio
async def test_seed_diagnostics(client: LanguageClient):
    diagnostics = await open_seed(client)
    assert found(diagnostics) == [
        ("duplicate-heading", 4, 0),
        ("duplicate-heading", 46, 0),
        ("empty-metadata", 2, 23),
        ("real-word", 32, 846),
        ("real-word", 38, 410),
        ("real-word", 44, 706),
    ]
    pubic = next(d for d in diagnostics if d.range.start.line == 38)
    assert pubic.severity == types.DiagnosticSeverity.Error
    assert "public" in pubic.message


@pytest.mark.asyncio
async def test_outline(client: LanguageClient):
    await open_seed(client)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=URI))
    )
    title = symbols[0]
    assert title.name.startswith("Jointly Build a Community")
    sections = title.children
    assert [s.selection_range.start.line for s in sections] == [8, 22, 34]
    assert [len(s.children) for s in sections] == [0, 4, 4]
    assert sections[2].children[3].name == "Maintain good order"


@pytest.mark.asyncio
async def test_quick_fix_then_edit(client: LanguageClient):
    await open_seed(client)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(start=types.Position(38, 412), end=types.Position(38, 412)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    fix = next(a for a in actions if a.title == "Replace with `public`")
    assert fix.is_preferred
    edit = fix.edit.changes[URI][0]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=edit.range, text=edit.new_text)],
        )
    )
    for _ in range(20):
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if not any(d.range.start.line == 38 for d in client.diagnostics[URI]):
            break
    assert ("real-word", 38, 410) not in found(client.diagnostics[URI])
    assert len(client.diagnostics[URI]) == 5


@pytest.mark.asyncio
async def test_hover_explains_the_rule(client: LanguageClient):
    await open_seed(client)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=URI), position=types.Position(38, 412))
    )
    assert "real-word" in hover.contents.value
    assert "Why it matters" in hover.contents.value
