"""The vocabulary: a SentencePiece unigram model trained on our Chinese text.

SentencePiece learns the pieces (with character coverage, so rare characters
of the corpus are kept) and is then converted into a Hugging Face fast
tokenizer (`tokenizer.json`), so that loading the exported model needs only
transformers + tokenizers, never sentencepiece.

Choices that help a headline model copy from its source:
- `max_piece_length` 4: pieces are words, not formulae. Left at 16, 新闻联播
  yields pieces such as 国务院总理李克强 or 全国政协主席汪洋, with which a
  model writes a title and a name together that its source may pair otherwise;
- `split_digits`: numbers are spelled digit by digit, so any number can be
  copied, not only the frequent ones that became pieces;
- `byte_fallback`: a character outside the vocabulary is spelled in UTF-8
  bytes instead of becoming <unk>, so a rare name survives the round trip;
- no normalisation: full-width Chinese punctuation (，：！) stays as it is
  (NFKC would turn it into ASCII); full-width digits and letters are folded by
  `training.data.normalise_text` before the tokenizer sees any text.

Special ids follow BART: <s>=0, <pad>=1, </s>=2, <unk>=3.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterable, Iterator

from digest.errors import TrainingError

log = logging.getLogger("training")

BOS, PAD, EOS, UNK = "<s>", "<pad>", "</s>", "<unk>"
SPECIAL_IDS = {BOS: 0, PAD: 1, EOS: 2, UNK: 3}


def train_sentencepiece(
    lines: Iterable[str],
    model_prefix: Path,
    vocab_size: int,
    character_coverage: float = 0.99995,
    max_piece_length: int = 4,
    max_sentences: int = 2_000_000,
    threads: int = 2,
) -> Path:
    """Train a unigram model on `lines`; returns the path of the .model file."""
    import sentencepiece as spm

    model_prefix.parent.mkdir(parents=True, exist_ok=True)
    spm.SentencePieceTrainer.train(
        sentence_iterator=_non_empty(lines),
        model_prefix=str(model_prefix),
        model_type="unigram",
        vocab_size=vocab_size,
        # A small corpus (the tests') cannot fill a large vocabulary: take what it has.
        hard_vocab_limit=False,
        character_coverage=character_coverage,
        max_sentencepiece_length=max_piece_length,
        normalization_rule_name="identity",
        add_dummy_prefix=False,
        split_digits=True,
        byte_fallback=True,
        bos_id=SPECIAL_IDS[BOS], pad_id=SPECIAL_IDS[PAD], eos_id=SPECIAL_IDS[EOS], unk_id=SPECIAL_IDS[UNK],
        bos_piece=BOS, pad_piece=PAD, eos_piece=EOS, unk_piece=UNK,
        input_sentence_size=max_sentences,
        shuffle_input_sentence=True,
        max_sentence_length=8192,  # bytes; xwlb items run to ~1,200
        num_threads=threads,
        minloglevel=2,
    )
    return model_prefix.with_suffix(".model")


def _non_empty(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        line = line.strip()
        if line:
            yield line


def fast_tokenizer_from_sentencepiece(model_file: Path, model_max_length: int):
    """A `PreTrainedTokenizerFast` with the same pieces and scores as the SentencePiece model."""
    import sentencepiece as spm
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    processor = spm.SentencePieceProcessor(model_file=str(model_file))
    vocab = [(processor.id_to_piece(i), processor.get_score(i)) for i in range(processor.get_piece_size())]
    for piece, index in SPECIAL_IDS.items():
        if vocab[index][0] != piece:
            raise TrainingError(f"{model_file}: id {index} is {vocab[index][0]!r}, expected {piece!r}")
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=SPECIAL_IDS[UNK], byte_fallback=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never"),
        pre_tokenizers.Digits(individual_digits=True),
    ])
    tokenizer.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
    ])
    # Source and target both end in </s>; the decoder starts from </s> (BART's convention).
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}", special_tokens=[(EOS, SPECIAL_IDS[EOS])]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=BOS, eos_token=EOS, unk_token=UNK, pad_token=PAD,
        model_max_length=model_max_length,
    )


def build_tokenizer(lines: Iterable[str], out_dir: Path, vocab_size: int, model_max_length: int,
                    character_coverage: float = 0.99995, max_piece_length: int = 4):
    """Train, convert and save the tokenizer into `out_dir` (tokenizer.json and the .model it came from)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    model_file = train_sentencepiece(lines, out_dir / "spm", vocab_size, character_coverage, max_piece_length)
    tokenizer = fast_tokenizer_from_sentencepiece(model_file, model_max_length)
    tokenizer.save_pretrained(str(out_dir))
    # transformers 5 writes its own class name (TokenizersBackend), which 4.x cannot load;
    # PreTrainedTokenizerFast means the same tokenizer.json to both.
    config_file = out_dir / "tokenizer_config.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_file.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")
    log.info("tokenizer: %d pieces -> %s", len(tokenizer), out_dir)
    return tokenizer
