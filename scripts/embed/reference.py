#!/usr/bin/env python3
"""Reference sentence embeddings for `mockloop-embed`, computed independently of candle.

The Rust crate runs all-MiniLM-L6-v2 through candle's BERT implementation. To test it against
something that shares none of that code, this script re-implements the BERT encoder forward pass
in plain numpy (float64), reading the same `model.safetensors`, and applies sentence-transformers'
pooling: mean over the attention mask, then L2 normalisation. Only tokenisation is shared (the
`tokenizers` package reads the same `tokenizer.json`); the script checks those token ids with a
small pure-Python WordPiece tokenizer built from `vocab.txt` when that file is present.

Usage (numpy, safetensors and tokenizers are on PyPI):

    python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install numpy safetensors tokenizers
    /tmp/refvenv/bin/python scripts/embed/reference.py MODEL_DIR \
        > crates/embed/tests/fixtures/reference_embeddings.json

MODEL_DIR is a sentence-transformers folder with config.json, tokenizer.json and model.safetensors
(for example the one `mockloop-embed`'s installer writes to <data>/models/all-MiniLM-L6-v2).
"""

import hashlib
import json
import math
import sys
import unicodedata
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

# sentence-transformers' max_seq_length for this model (sentence_bert_config.json); the
# tokenizer.json in the folder says 128, which sentence-transformers overrides.
MAX_TOKENS = 256

SENTENCES = [
    "A hash map gives average constant-time lookups.",
    "Use a mutex to protect shared state between threads.",
    "I would add an index on the user_id column to speed up the query.",
    "Café owners' naïve résumé: TCP vs. UDP — which one retransmits lost packets?",
    "The cat sat quietly on the warm windowsill.",
    # Longer than 256 tokens, so it exercises truncation.
    " ".join(
        ["Caching trades memory for latency, and invalidation is the hard part of it."] * 30
    ),
]


def erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf, otypes=[np.float64])(x)


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def linear(x: np.ndarray, w: dict, prefix: str) -> np.ndarray:
    # PyTorch stores Linear weights as (out, in).
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def softmax(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def bert_forward(ids: list, type_ids: list, w: dict, cfg: dict) -> np.ndarray:
    """Last hidden state (seq, hidden) of a BERT encoder for one unpadded sequence."""
    eps = cfg["layer_norm_eps"]
    heads = cfg["num_attention_heads"]
    hidden = cfg["hidden_size"]
    head_dim = hidden // heads
    n = len(ids)

    x = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][np.arange(n)]
        + w["embeddings.token_type_embeddings.weight"][type_ids]
    )
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)

    for i in range(cfg["num_hidden_layers"]):
        p = f"encoder.layer.{i}."
        q = linear(x, w, p + "attention.self.query").reshape(n, heads, head_dim).transpose(1, 0, 2)
        k = linear(x, w, p + "attention.self.key").reshape(n, heads, head_dim).transpose(1, 0, 2)
        v = linear(x, w, p + "attention.self.value").reshape(n, heads, head_dim).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(head_dim)  # (heads, n, n)
        ctx = (softmax(scores) @ v).transpose(1, 0, 2).reshape(n, hidden)
        attn = linear(ctx, w, p + "attention.output.dense")
        x = layer_norm(
            attn + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        inter = linear(x, w, p + "intermediate.dense")
        inter = 0.5 * inter * (1.0 + erf(inter / math.sqrt(2.0)))  # exact (erf) GELU
        out = linear(inter, w, p + "output.dense")
        x = layer_norm(out + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


# --- a tiny independent BERT uncased tokenizer, only to cross-check the token ids -------------


def basic_tokenize(text: str) -> list:
    text = "".join(
        " " if c.isspace() else c
        for c in text
        if not (ord(c) in (0, 0xFFFD) or (unicodedata.category(c).startswith("C") and c not in "\t\n\r"))
    )
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    tokens = []
    for word in text.split():
        current = ""
        for c in word:
            cat = unicodedata.category(c)
            cp = ord(c)
            is_punct = (33 <= cp <= 47) or (58 <= cp <= 64) or (91 <= cp <= 96) or (123 <= cp <= 126)
            if is_punct or cat.startswith("P"):
                if current:
                    tokens.append(current)
                tokens.append(c)
                current = ""
            else:
                current += c
        if current:
            tokens.append(current)
    return tokens


def wordpiece(tokens: list, vocab: dict) -> list:
    ids = []
    for tok in tokens:
        start, pieces = 0, []
        while start < len(tok):
            end, found = len(tok), None
            while start < end:
                piece = tok[start:end] if start == 0 else "##" + tok[start:end]
                if piece in vocab:
                    found = vocab[piece]
                    break
                end -= 1
            if found is None:
                pieces = [vocab["[UNK]"]]
                break
            pieces.append(found)
            start = end
        ids.extend(pieces)
    return ids


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: reference.py MODEL_DIR > reference_embeddings.json")
    model_dir = Path(sys.argv[1])
    cfg = json.loads((model_dir / "config.json").read_text())
    weights = {k: v.astype(np.float64) for k, v in load_file(model_dir / "model.safetensors").items()}
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=MAX_TOKENS)

    vocab = None
    vocab_path = model_dir / "vocab.txt"
    if vocab_path.exists():
        vocab = {line.rstrip("\n"): i for i, line in enumerate(vocab_path.open(encoding="utf-8"))}

    items = []
    for text in SENTENCES:
        enc = tokenizer.encode(text)
        if vocab is not None:
            mine = [vocab["[CLS]"]] + wordpiece(basic_tokenize(text), vocab)[: MAX_TOKENS - 2]
            mine.append(vocab["[SEP]"])
            assert mine == enc.ids, f"tokenizer mismatch for {text!r}:\n{mine}\n{enc.ids}"
        hidden = bert_forward(enc.ids, enc.type_ids, weights, cfg)
        mask = np.array(enc.attention_mask, dtype=np.float64)[:, None]
        pooled = (hidden * mask).sum(axis=0) / mask.sum()
        vec = pooled / np.linalg.norm(pooled)
        items.append({"text": text, "token_ids": enc.ids, "embedding": [round(float(x), 8) for x in vec]})

    sims = [[round(float(np.dot(a["embedding"], b["embedding"])), 6) for b in items] for a in items]
    json.dump(
        {
            "generator": "scripts/embed/reference.py (numpy float64 BERT forward, mean pooling, L2 norm)",
            "model_safetensors_sha256": sha256(model_dir / "model.safetensors"),
            "max_tokens": MAX_TOKENS,
            "sentences": items,
            "cosine_matrix": sims,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
