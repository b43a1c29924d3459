"""Write models/common_words.txt: the stems too common in news to tie a statement to one claim.

A stem counts as common when at least 1 % of the news-style statements written for Claimwatch
(training/news_pairs_t*.jsonl, our own text) use it, after metonyms are mapped to their state
(Moscow -> russia). The judge's anchored path (bot/judge/anchor.py) needs a shared stem that is
not on this list. Deterministic: same files, same list.
Run: .venv/bin/python scripts/common_words.py [--min-share 0.01] [--out models/common_words.txt]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.judge.anchor import content_stems  # noqa: E402


def statements(folder: Path) -> list[str]:
    """Distinct statement texts of the training files, in file order."""
    rows = (json.loads(line)["text"] for p in sorted(folder.glob("news_pairs_t*.jsonl"))
            for line in p.read_text().splitlines() if line.strip())
    return list(dict.fromkeys(rows))


def common(texts: list[str], min_share: float) -> list[str]:
    """Stems used by at least min_share of the texts, most used first (ties by stem)."""
    df = Counter(s for t in texts for s in content_stems(t))
    need = min_share * len(texts)
    return sorted((s for s, n in df.items() if n >= need), key=lambda s: (-df[s], s))


def main() -> None:
    """Count, then write the list with a header saying what it was made from."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-share", type=float, default=0.01)
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "common_words.txt")
    a = ap.parse_args()
    texts = statements(ROOT / "training")
    words = common(texts, a.min_share)
    head = (f"# {len(words)} stems used by >= {a.min_share:.0%} of {len(texts)} training statements "
            "(scripts/common_words.py); one per line\n")
    a.out.write_text(head + "\n".join(words) + "\n")
    print(f"wrote {a.out}: {len(words)} stems from {len(texts)} statements")


if __name__ == "__main__":
    main()
