import subprocess
import sys


def test_python_dash_m_newsweave_is_the_newsweave_command():
    """`python -m newsweave` runs the CLI (exit codes included), not 'cannot be executed'."""
    ok = subprocess.run(
        [sys.executable, "-m", "newsweave", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("newsweave")
    bad = subprocess.run(
        [sys.executable, "-m", "newsweave", "summarize", "/no/such/file.txt"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2
    assert "/no/such/file.txt" in bad.stderr and "Traceback" not in bad.stderr
