"""User-facing errors: exit codes, and errors raised in worker processes."""

from __future__ import annotations

import pickle

from newsweave.errors import InputError, MissingDependency, NewsweaveError, OutputError


def test_exit_codes_match_the_documented_table():
    assert (NewsweaveError.exit_code, InputError.exit_code) == (1, 2)
    assert (MissingDependency.exit_code, OutputError.exit_code) == (3, 73)


def test_errors_survive_the_trip_back_from_a_worker_process():
    """A missing optional part met in an ingest reader process (feedparser,
    trafilatura) could not be unpickled in the command: the pool broke and the
    user got exit 70 'internal error' instead of 3 and the install line."""
    err = pickle.loads(pickle.dumps(MissingDependency("RSS/Atom support", "pip install x")))
    assert isinstance(err, MissingDependency)
    assert str(err) == "RSS/Atom support is not installed. Install it with: pip install x"
    assert (err.install, err.exit_code) == ("pip install x", 3)
    back = pickle.loads(pickle.dumps(InputError("a.txt: the input is empty")))
    assert str(back) == "a.txt: the input is empty"
