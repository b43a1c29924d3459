"""Load the shipped judge model from models/, falling back to the lexical judge."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import fields
from pathlib import Path

from .anchor import Anchors
from .cross import CrossEncoder
from .judge import Judge, JudgeConfig
from .pair import PairConfig, PairStage

log = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models"


def _config(model_dir: Path) -> JudgeConfig:
    path = model_dir / "judge_config.json"
    cfg = JudgeConfig()
    if path.exists():
        data = json.loads(path.read_text())
        cfg.threshold = float(data.get("threshold", cfg.threshold))
        cfg.weights = {**cfg.weights, **data.get("weights", {})}
        cfg.article_sentences = int(data.get("article_sentences", cfg.article_sentences))
        cfg.unrelated_threshold = float(data.get("unrelated_threshold", cfg.unrelated_threshold))
        cfg.cross_mix = float(data.get("cross_mix", cfg.cross_mix))
        cfg.vote_mix = float(data.get("vote_mix", cfg.vote_mix))
        cfg.retrieval_bm25 = float(data.get("retrieval_bm25", cfg.retrieval_bm25))
        cfg.possible_threshold = float(data.get("possible_threshold", cfg.possible_threshold))
        cfg.runner_up = float(data.get("runner_up", cfg.runner_up))
        w = data.get("stance_weights", cfg.stance_weights)
        cfg.stance_weights = (float(w[0]), float(w[1]), float(w[2]))
    return cfg


def load_judge(model_dir: Path | None = None, cache_path: Path | str | None = None) -> Judge:
    """Load the shipped model (encoder + stance head); lexical judge if the files are absent.

    cache_path: .npz file keeping claim embeddings across restarts (None = no persistent cache).
    """
    model_dir = Path(model_dir or os.environ.get("CLAIMWATCH_MODEL_DIR") or DEFAULT_MODEL_DIR)
    enc_path, tok_path = model_dir / "encoder.int8.onnx", model_dir / "tokenizer.json"
    if not (enc_path.exists() and tok_path.exists()):
        log.warning("judge model not found in %s; using the lexical judge", model_dir)
        return Judge(config=JudgeConfig())
    from .encoder import OnnxEncoder
    from .stance import load_stance

    encoder = OnnxEncoder(enc_path, tok_path)
    cfg = _config(model_dir)
    return Judge(encoder=encoder, stance=load_stance(model_dir, cfg.cross_mix, cfg.stance_weights), config=cfg,
                 cache_path=cache_path, pair=_pair(model_dir, tok_path))


PAIR_MAX_TOKENS = 64  # what scripts/train_pair_model.py trains with (MAX_LEN)


def pair_model(path: Path, tok_path: Path) -> CrossEncoder:
    """A pair-model file as the judge reads it (benches and fits swap a candidate file in with this)."""
    return CrossEncoder(path, tok_path, max_length=PAIR_MAX_TOKENS)


def _pair(model_dir: Path, tok_path: Path) -> PairStage | None:
    """The pair model (models/pair.int8.onnx) with its mixing weights, when shipped and not disabled."""
    path = model_dir / "pair.int8.onnx"
    if not path.exists() or os.environ.get("CLAIMWATCH_JUDGE_NO_PAIR"):
        return None
    cfg_path = model_dir / "judge_config.json"
    data = json.loads(cfg_path.read_text()).get("pair", {}) if cfg_path.exists() else {}
    known = {f.name for f in fields(PairConfig)}
    return PairStage(pair_model(path, tok_path), PairConfig(**{k: v for k, v in data.items() if k in known}),
                     Anchors.load(model_dir / "common_words.txt"))
