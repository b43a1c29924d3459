"""Sentence encoder: int8 ONNX MiniLM with mean pooling, run by onnxruntime."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


class OnnxEncoder:
    """Encodes texts into L2-normalised 384-d rows; batches sorted by length to save padding."""

    def __init__(self, model_path: Path, tokenizer_path: Path, max_length: int = 128,
                 batch_size: int = 64, threads: int | None = None) -> None:
        """Load the ONNX graph and tokenizer."""
        self.model_path = Path(model_path)
        self._model_id: str | None = None
        self.tok = Tokenizer.from_file(str(tokenizer_path))
        self.tok.enable_truncation(max_length=max_length)
        self.tok.no_padding()
        opts = ort.SessionOptions()
        n = threads or int(os.environ.get("CLAIMWATCH_JUDGE_THREADS", "0")) or min(os.cpu_count() or 1, 4)
        opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.sess = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self.batch_size = batch_size
        self.token_budget = 2048  # padded tokens per run: bounds activation memory for long texts
        self.dim = int(self.sess.get_outputs()[0].shape[-1] or 384)

    @property
    def model_id(self) -> str:
        """Digest of the model file: keys the persistent claim-embedding cache."""
        if self._model_id is None:
            from .cache import file_digest

            self._model_id = file_digest(self.model_path)
        return self._model_id

    def _batches(self, order: np.ndarray, lens: list[int]) -> list[np.ndarray]:
        """Length-sorted batches of at most batch_size rows and token_budget padded tokens."""
        out, start = [], 0
        for k in range(1, len(order) + 1):
            full = k - start >= self.batch_size or (k < len(order) and (k - start + 1) * lens[order[k]] > self.token_budget)
            if k == len(order) or full:
                out.append(order[start:k])
                start = k
        return out

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts; returns float32 array (len(texts), dim)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = self.tok.encode_batch([t or " " for t in texts])
        order = np.argsort([len(e.ids) for e in encs], kind="stable")
        for idx in self._batches(order, [len(e.ids) for e in encs]):
            width = max(len(encs[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for r, i in enumerate(idx):
                e = encs[i].ids
                ids[r, : len(e)] = e
                mask[r, : len(e)] = 1
            (emb,) = self.sess.run(None, {"input_ids": ids, "attention_mask": mask,
                                         "token_type_ids": np.zeros_like(ids)})
            out[idx] = emb
        return out
