"""Reading JSONL dumps in units of lines (newsweave/stories/dumps.py)."""

from __future__ import annotations

import json

import pytest

from newsweave.cli import main
from newsweave.errors import InputError
from newsweave.stories import service


def _dump(path):
    text = "The council approved the new budget on Tuesday after a long debate. " * 3
    path.write_text(json.dumps({"id": "c", "documents": [{"id": "a", "text": text}]}) + "\n")
    return path


@pytest.mark.parametrize("value", ["abc", "0", "-3", "2.5"])
def test_a_bad_lines_per_unit_setting_is_named_not_an_internal_error(
    tmp_path, monkeypatch, capsys, value
):
    """NEWSWEAVE_INGEST_LINES=abc ended `ingest` with 'internal error: ValueError' (exit 70)."""
    dump = _dump(tmp_path / "d.jsonl")
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", value)
    with service.open_db(tmp_path / "s.db") as db:
        with pytest.raises(InputError, match=f"NEWSWEAVE_INGEST_LINES.*{value!r}"):
            service.ingest(db, [str(dump)])
    code = main(["ingest", str(dump), "--db", str(tmp_path / "t.db"), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    assert "NEWSWEAVE_INGEST_LINES" in err and "internal error" not in err


def test_a_good_lines_per_unit_setting_is_used(tmp_path, monkeypatch):
    dump = _dump(tmp_path / "d.jsonl")
    monkeypatch.setenv("NEWSWEAVE_INGEST_LINES", " 7 ")
    with service.open_db(tmp_path / "s.db") as db:
        assert service.ingest(db, [str(dump)]).stored == 1
