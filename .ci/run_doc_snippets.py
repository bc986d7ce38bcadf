"""Run every ```python block of the README and docs/using-the-data.md from the repository's root,
each in a fresh namespace, so that a recipe the docs give keeps working on the exports it describes."""
import re
import sys
import traceback
from pathlib import Path

DOCS = ["README.md", "docs/using-the-data.md"]
failed = 0
ran = 0
for doc in DOCS:
    text = Path(doc).read_text(encoding="utf-8")
    for m in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        line = text.count("\n", 0, m.start()) + 1
        ran += 1
        try:
            exec(compile(m.group(1), f"{doc}:{line}", "exec"), {"__name__": "__doc_snippet__"})
            print(f"ok   {doc}:{line}")
        except Exception:
            failed += 1
            print(f"FAIL {doc}:{line}")
            traceback.print_exc(limit=3)
print(f"doc snippets: {ran - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
