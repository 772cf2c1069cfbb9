#!/usr/bin/env python3
"""The README's code for an editor, so that the end-to-end tests run what a
user copies from it.

    snippet.py NAME [--repo DIR]    print the block marked <!-- snippet: NAME -->,
                                    with /path/to/policylint replaced by DIR
    snippet.py NAME --in FILE       the block is, word for word, part of FILE
    snippet.py --check-helix        the Helix block is editors/helix/languages.toml
                                    and is a configuration Helix can read

A marker is an HTML comment (invisible on the rendered page) on the line
before a fenced code block in README.md.
"""
import argparse
import pathlib
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLACEHOLDER = "/path/to/policylint"


def snippet(name: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pattern = re.compile(
        r"^<!-- snippet: " + re.escape(name) + r" -->\n```[^\n]*\n(.*?)^```$", re.M | re.S
    )
    found = pattern.findall(readme)
    if len(found) != 1:
        sys.exit(f"snippet.py: README.md has {len(found)} blocks marked `snippet: {name}`, expected 1")
    return found[0]


def check_helix() -> None:
    text = snippet("helix-languages")
    file = ROOT / "editors" / "helix" / "languages.toml"
    if text != file.read_text(encoding="utf-8"):
        sys.exit(f"snippet.py: README's Helix block differs from {file.relative_to(ROOT)}")
    config = tomllib.loads(text)
    server = config["language-server"]["policylint"]
    assert server == {"command": "policylint", "args": ["lsp"]}, server
    languages = {language["name"]: language for language in config["language"]}
    assert set(languages) == {"text", "markdown"}, languages
    for language in languages.values():
        assert "policylint" in language["language-servers"], language
    assert languages["text"]["file-types"] == ["txt", "text"], languages["text"]
    print("snippet.py: the Helix configuration in README.md is editors/helix/languages.toml, and well-formed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--repo", default=str(ROOT))
    parser.add_argument("--in", dest="within", metavar="FILE")
    parser.add_argument("--check-helix", action="store_true")
    args = parser.parse_args()
    if args.check_helix:
        check_helix()
    elif args.name and args.within:
        if snippet(args.name) not in (ROOT / args.within).read_text(encoding="utf-8"):
            sys.exit(f"snippet.py: README's block `{args.name}` is not part of {args.within}")
        print(f"snippet.py: README's block `{args.name}` is part of {args.within}")
    elif args.name:
        sys.stdout.write(snippet(args.name).replace(PLACEHOLDER, args.repo))
    else:
        parser.error("name a snippet or --check-helix")


if __name__ == "__main__":
    main()
