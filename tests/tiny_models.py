"""Tiny random seq2seq models of each architecture, saved like a real checkpoint.

Imported only by tests that have torch and transformers. The weights are
random, but large (init scale), so that what a model writes depends on its
input: a batching bug then changes the output instead of hiding behind a
model that says the same thing whatever it reads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the training recipe lives beside digest/, not inside it
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "examples" / "tianjin-zwb-2026-01.json"
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

# A sentencepiece tokenizer suits these; the BERT one the last two.
SPM_ARCHITECTURES = ("bart", "mbart", "pegasus", "t5", "mt5", "pointer-bart")
BERT_ARCHITECTURES = ("bert2bert", "bart-bert")


def seed_lines() -> list[str]:
    posts = json.loads(SEED.read_text(encoding="utf-8"))
    return [line for post in posts for line in post["finalContent"].splitlines() if line.strip()]


def spm_tokenizer(directory: Path):
    """A SentencePiece tokenizer trained on the sample posts, through the training recipe's own code."""
    from training.vocab import build_tokenizer

    return build_tokenizer(seed_lines(), directory, vocab_size=3000, model_max_length=512, character_coverage=0.995)


def bert_tokenizer(directory: Path):
    """A BERT WordPiece tokenizer over single characters, as Chinese BERT and BART checkpoints use."""
    from transformers import BertTokenizer

    chars = sorted({c for line in seed_lines() for c in line if "\u4e00" <= c <= "\u9fff"})
    directory.mkdir(parents=True, exist_ok=True)
    vocab = directory / "vocab.txt"
    vocab.write_text("\n".join(SPECIAL + list("0123456789，。、：；！？“”《》（）%") + chars) + "\n", encoding="utf-8")
    return BertTokenizer(str(vocab))  # positional: `vocab_file` in transformers 4, `vocab` in 5


def build_model(architecture: str, tokenizer, directory: Path, positions: int = 64, seed: int = 0) -> Path:
    """Save a tiny random `architecture` model with `tokenizer` into `directory`."""
    import torch
    import transformers as tf

    torch.manual_seed(seed)
    vocab = len(tokenizer)
    if tokenizer.cls_token_id is not None:  # BERT: [CLS] starts, [SEP] ends
        ids = dict(pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.cls_token_id,
                   eos_token_id=tokenizer.sep_token_id, decoder_start_token_id=tokenizer.cls_token_id)
    else:
        ids = dict(pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
                   eos_token_id=tokenizer.eos_token_id, decoder_start_token_id=tokenizer.eos_token_id)
    bart_like = dict(vocab_size=vocab, d_model=32, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
                     decoder_attention_heads=2, encoder_ffn_dim=64, decoder_ffn_dim=64,
                     max_position_embeddings=positions, init_std=0.5, **ids)
    t5_like = dict(vocab_size=vocab, d_model=32, d_kv=16, d_ff=64, num_layers=1, num_heads=2,
                   initializer_factor=5.0, **ids)
    if architecture in ("bart", "bart-bert"):
        model = tf.BartForConditionalGeneration(tf.BartConfig(**bart_like))
    elif architecture == "pointer-bart":  # digest's own: registered with the Auto classes on import
        from digest.summarize.pointer import PointerBartConfig, PointerBartForConditionalGeneration

        model = PointerBartForConditionalGeneration(PointerBartConfig(**bart_like))
    elif architecture == "mbart":
        model = tf.MBartForConditionalGeneration(tf.MBartConfig(**bart_like))
    elif architecture == "pegasus":
        model = tf.PegasusForConditionalGeneration(tf.PegasusConfig(**bart_like))
    elif architecture == "t5":
        model = tf.T5ForConditionalGeneration(tf.T5Config(**t5_like))
    elif architecture == "mt5":
        model = tf.MT5ForConditionalGeneration(tf.MT5Config(**t5_like))
    elif architecture == "bert2bert":
        bert = dict(vocab_size=vocab, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                    intermediate_size=64, max_position_embeddings=positions, initializer_range=0.5)
        config = tf.EncoderDecoderConfig.from_encoder_decoder_configs(
            tf.BertConfig(**bert), tf.BertConfig(**bert, is_decoder=True, add_cross_attention=True))
        # Left unset on purpose, as in many public BERT2BERT checkpoints: the
        # loading path must take decoder start and end from the tokenizer.
        model = tf.EncoderDecoderModel(config=config)
    else:
        raise ValueError(architecture)
    model.save_pretrained(str(directory))
    tokenizer.save_pretrained(str(directory))
    return directory
