"""``newsweave serve`` (uvicorn replaced, no server started) and ``--format html``."""

from __future__ import annotations

import fastapi  # noqa: F401  (a [test] dependency: missing is a failure, not a skip)
import pytest

from newsweave.cli import SAMPLE_DIR, main


@pytest.fixture
def fake_uvicorn(monkeypatch):
    import uvicorn

    from newsweave.web import cli as web_cli

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr(web_cli, "check_listen", lambda host, port: None)  # tested below
    return calls


def test_serve_builds_the_app_and_runs_uvicorn(fake_uvicorn, monkeypatch, capsys):
    monkeypatch.delenv("NEWSWEAVE_TOKEN", raising=False)
    assert main(["serve", "--port", "8123", "--no-urls", "--workers", "3"]) == 0
    ((app, kw),) = fake_uvicorn
    assert kw["host"] == "127.0.0.1" and kw["port"] == 8123
    settings = app.state.engine.settings
    assert settings.allow_urls is False and settings.workers == 3 and settings.token is None
    assert app.state.stories is None
    assert set(settings.allowed_hosts) == {"localhost", "127.0.0.1", "::1"}  # anti DNS rebinding
    assert "http://127.0.0.1:8123/" in capsys.readouterr().err


def test_serve_token_from_env_and_public_host_warning(fake_uvicorn, monkeypatch, capsys):
    monkeypatch.delenv("NEWSWEAVE_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 0
    assert "without a token" in capsys.readouterr().err
    monkeypatch.setenv("NEWSWEAVE_TOKEN", "abc")
    assert main(["serve", "--host", "0.0.0.0"]) == 0
    settings = fake_uvicorn[-1][0].state.engine.settings
    assert settings.token == "abc" and settings.allowed_hosts == ()
    assert "without a token" not in capsys.readouterr().err


def test_serve_on_any_loopback_address_checks_the_host(fake_uvicorn, monkeypatch, capsys):
    """127.0.0.0/8 is loopback too: it used to count as public (no Host check
    against DNS rebinding, and a warning about a missing token)."""
    monkeypatch.delenv("NEWSWEAVE_TOKEN", raising=False)
    assert main(["serve", "--host", "127.0.0.2"]) == 0
    settings = fake_uvicorn[-1][0].state.engine.settings
    assert set(settings.allowed_hosts) == {"localhost", "127.0.0.1", "::1", "127.0.0.2"}
    assert "without a token" not in capsys.readouterr().err
    assert main(["serve", "--host", "localhost"]) == 0
    assert set(fake_uvicorn[-1][0].state.engine.settings.allowed_hosts) == {
        "localhost",
        "127.0.0.1",
        "::1",
    }


def test_serve_missing_database_is_a_clear_error(fake_uvicorn, tmp_path, capsys):
    code = main(["serve", "--db", str(tmp_path / "nope.db")])
    assert code == 2
    assert "no such story database" in capsys.readouterr().err
    assert fake_uvicorn == []


def test_serve_refuses_bad_setup_before_starting(fake_uvicorn, tmp_path, capsys):
    damaged = tmp_path / "bad.db"
    damaged.write_bytes(b"not a database")
    assert main(["serve", "--db", str(damaged)]) == 2
    assert "bad.db: not a newsweave story database" in capsys.readouterr().err
    assert main(["serve", "--embedder", "nosuch"]) == 2
    assert "unknown embedder 'nosuch'; available:" in capsys.readouterr().err
    assert main(["serve", "--max-body-mb", "nan"]) == 2
    assert "--max-body-mb" in capsys.readouterr().err
    assert fake_uvicorn == []
    assert main(["serve", "--host", "::1", "--embedder", "tfidf"]) == 0
    assert "http://[::1]:8000/" in capsys.readouterr().err


def test_serve_on_a_busy_port_or_unknown_host_exits_2_before_starting(monkeypatch, capsys):
    import socket

    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
        assert f"cannot listen on 127.0.0.1:{port}: " in capsys.readouterr().err
    assert main(["serve", "--host", "no-such-host.invalid"]) == 2
    assert "cannot listen on no-such-host.invalid:8000: unknown host" in capsys.readouterr().err
    assert calls == []
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    assert main(["serve", "--port", str(port)]) == 0 and calls[0]["port"] == port


def test_serve_help_lists_the_options(capsys):
    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    for opt in ("--host", "--port", "--db", "--no-urls", "--token", "--cors-origin"):
        assert opt in out


def test_summarize_writes_one_self_contained_html_file(tmp_path, embedder, capsys):
    out = tmp_path / "report.html"
    seeds = [str(p) for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    assert main(["summarize", *seeds, "-f", "html", "-o", str(out)]) == 0
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert 'class="cite"' in html and 'id="src-1"' in html and 'id="src-2"' in html
    assert 'rel="stylesheet"' not in html and "<script src" not in html
    assert "Content-Security-Policy" in html
