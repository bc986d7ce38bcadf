"""Run every ```python block of the README and docs/using-the-data.md from the repository's root,
each in a fresh namespace, so that a recipe the docs give keeps working on the exports it describes."""
import os
import re
import sys
import traceback
from pathlib import Path

# from the repository's root, wherever this is started from (the snippets read data/clean/...)
os.chdir(Path(__file__).resolve().parent.parent)
DOCS = ["README.md", "docs/using-the-data.md"]
failed = 0
ran = 0
for doc in DOCS:
    # read_text's universal newlines: a CRLF checkout finds the same blocks
    text = Path(doc).read_text(encoding="utf-8")
    for m in re.finditer(r"^```python[ \t]*\n(.*?)^```", text, flags=re.S | re.M):
        line = text.count("\n", 0, m.start()) + 1
        ran += 1
        try:
            exec(compile(m.group(1), f"{doc}:{line}", "exec"), {"__name__": "__doc_snippet__"})
            print(f"ok   {doc}:{line}")
        except BaseException:  # a snippet's sys.exit() must not end the run as a success
            failed += 1
            print(f"FAIL {doc}:{line}")
            traceback.print_exc(limit=3)
print(f"doc snippets: {ran - failed} passed, {failed} failed")
# no block found is a broken runner (a renamed file, a changed fence), not a pass
sys.exit(1 if failed or ran == 0 else 0)
