"""Stance cross-encoder: fine-tuned MiniLM reading (claim, evidence) pairs, int8 ONNX."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from .features import Doc, evidence
from .mlp import Ensemble


class CrossEncoder:
    """Probabilities over (supports, refutes, neutral) for claim/evidence pairs."""

    def __init__(self, model_path: Path, tokenizer_path: Path, max_length: int = 96,
                 threads: int | None = None) -> None:
        """Load the ONNX graph and a pair tokenizer."""
        self.tok = Tokenizer.from_file(str(tokenizer_path))
        self.tok.enable_truncation(max_length=max_length)
        self.tok.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(os.environ.get("CLAIMWATCH_JUDGE_THREADS", "0")) or min(os.cpu_count() or 1, 4)
        opts.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])

    def predict(self, pairs: Sequence[tuple[str, str]], batch: int = 32) -> np.ndarray:
        """Softmax probabilities, one row per pair (as many columns as the model has classes)."""
        width = self.sess.get_outputs()[0].shape[-1]
        out = np.zeros((len(pairs), width if isinstance(width, int) else 3), np.float32)
        if not pairs:
            return out
        encs = self.tok.encode_batch([(c, e) for c, e in pairs])
        order = np.argsort([len(e.ids) for e in encs], kind="stable")  # similar lengths share a batch
        for s in range(0, len(order), batch):
            rows = order[s : s + batch]
            w = max(len(encs[i].ids) for i in rows)
            arr = np.zeros((3, len(rows), w), np.int64)
            for r, i in enumerate(rows):
                e = encs[i]
                n = len(e.ids)
                arr[0, r, :n], arr[1, r, :n], arr[2, r, :n] = e.ids, 1, e.type_ids
            (z,) = self.sess.run(None, {"input_ids": arr[0], "attention_mask": arr[1], "token_type_ids": arr[2]})
            z = np.exp(z - z.max(1, keepdims=True))
            out[rows] = z / z.sum(1, keepdims=True)
        return out


class HybridStance:
    """Unrelated probability from the feature MLP; stance mixed from the cross-encoder and the MLP."""

    def __init__(self, mlp: Ensemble, cross: CrossEncoder | None, mix: float = 0.5,
                 weights: Sequence[float] = (1.0, 1.0, 1.0)) -> None:
        """Combine the two heads; mix is the cross-encoder's weight in the stance part.

        weights rescale (supports, refutes, neutral) before renormalising: a prior correction for
        the rare refutes class, chosen on the FNC tuning fold (scripts/train_stance.py).
        """
        self.model, self.cross, self.mix = mlp, cross, mix
        self.weights = np.asarray(weights, np.float64)

    def combine(self, p_mlp: np.ndarray, q: np.ndarray | None) -> np.ndarray:
        """Rows of (unrelated, supports, refutes, neutral) from MLP rows and cross rows."""
        p_mlp = np.atleast_2d(p_mlp)
        if q is None:
            return p_mlp
        st = p_mlp[:, 1:] / np.maximum(p_mlp[:, 1:].sum(1, keepdims=True), 1e-9)
        st = (self.mix * np.atleast_2d(q) + (1 - self.mix) * st) * self.weights
        st = st / np.maximum(st.sum(1, keepdims=True), 1e-9)
        return np.hstack([p_mlp[:, :1], (1 - p_mlp[:, :1]) * st])

    def predict(self, claim: str, claim_emb: np.ndarray, doc: Doc) -> np.ndarray:
        """Class probabilities for one pair."""
        return self.predict_many([(claim, claim_emb, doc)])[0]

    def predict_many(self, items: Sequence[tuple[str, np.ndarray, Doc]]) -> np.ndarray:
        """Class probabilities, one row per (claim, claim embedding, document), both heads batched."""
        from .features import pair_features

        p = self.model.predict_proba(np.stack([pair_features(c, u, d) for c, u, d in items]))
        q = self.cross.predict([(c, evidence(c, u, d)) for c, u, d in items]) if self.cross else None
        return self.combine(p, q)
