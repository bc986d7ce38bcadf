"""Execute every notebook in notebooks/ with nbclient, in its own folder, and report.

Outputs are not written back: the committed notebooks stay without outputs.
The last line printed is `notebooks: N passed, M failed`; the exit status is 1 if any failed.
"""
import re
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parent.parent
KERNEL = "python3"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def main() -> int:
    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    kernel_python = spec.argv[0]
    if kernel_python not in ("python", sys.executable) and Path(kernel_python).resolve() != Path(sys.executable).resolve():
        print(f"kernel {KERNEL!r} runs {kernel_python}, not this venv's {sys.executable}")
        return 1

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    passed, failed = 0, 0
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            kernel_name=KERNEL,
            timeout=600,
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no start-up notices from the kernel
            resources={"metadata": {"path": str(path.parent)}},
        )
        start = time.monotonic()
        try:
            client.execute()
        except (CellExecutionError, CellTimeoutError) as err:
            failed += 1
            text = [line for line in ANSI.sub("", str(err)).strip().splitlines() if line.strip()]
            print(f"FAIL {path.relative_to(ROOT)}")
            for line in text[-15:]:
                print("    " + line)
            continue
        passed += 1
        print(f"ok   {path.relative_to(ROOT)} ({time.monotonic() - start:.1f}s)")
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed or not notebooks else 0


if __name__ == "__main__":
    sys.exit(main())
