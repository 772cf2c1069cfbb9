"""The server under test: the binary named by $POLICYLINT (default: the debug build)."""
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERVER = os.environ.get("POLICYLINT", str(ROOT / "target" / "debug" / "policylint"))
SEED = ROOT / "seeds" / "cyberspace-community.txt"
