"""The trained classifier for this process: loaded from the cache directory, else trained.

Training takes seconds, so the result is kept on disk under a name made of the examples'
fingerprint, the scikit-learn version and the file format: a changed example or a new
library retrains, an unchanged one loads in milliseconds. The file is written by this code
only (atomic rename); an unreadable or foreign file is ignored and replaced.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from pathlib import Path

import sklearn

from mostrador.assistant import examples
from mostrador.assistant.classifier import Classifier, train

__all__ = ["classifier", "default_cache_dir"]

_lock = threading.Lock()
_loaded: dict[Path | None, Classifier] = {}


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mostrador"


# Raised whenever the pickled Classifier's attributes change, so an old file is not loaded.
MODEL_FORMAT = 2


def _model_path(cache_dir: Path) -> Path:
    name = f"assistant-v{MODEL_FORMAT}-{examples.fingerprint()}-sklearn{sklearn.__version__}"
    return cache_dir / f"{name}.pickle"


def _read(path: Path) -> Classifier | None:
    try:
        with path.open("rb") as source:
            found = pickle.load(source)  # noqa: S301 - a file this module wrote itself
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return found if isinstance(found, Classifier) else None


def _write(path: Path, trained: Classifier) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as sink:
            pickle.dump(trained, sink, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(sink.name, path)
    except OSError:
        return  # a read-only home still classifies; it just trains each time


def classifier(cache_dir: Path | None = None) -> Classifier:
    """The process's classifier; ``cache_dir=None`` uses the user's cache directory."""
    with _lock:
        if cache_dir in _loaded:
            return _loaded[cache_dir]
        path = _model_path(cache_dir or default_cache_dir())
        found = _read(path) if path.exists() else None
        if found is None:
            found = train(examples.examples())
            _write(path, found)
        _loaded[cache_dir] = found
        return found
