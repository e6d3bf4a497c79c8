"""Tokenised pairs, length-bucketed batches and the model they train.

Batches group pairs of similar source length (less padding: ~2x faster on a
GPU than random batches) but their order is random. The order of an epoch is
a pure function of (seed, epoch), so a resumed run replays exactly the
batches it had not seen yet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from .settings import Settings

BUCKET = 64  # batches per length-sorted bucket


@dataclass(frozen=True)
class Encoded:
    """Token ids per pair, as int32 arrays: ~80k pairs take ~80 MB, not the ~1 GB of Python int lists."""

    sources: list[Any]
    targets: list[Any]


ENCODE_CHUNK = 10_000  # pairs per tokenizer call: bounds the memory its intermediate objects take


def encode(tokenizer: Any, pairs: Sequence[Any], settings: Settings) -> Encoded:
    import numpy as np

    model = settings.model
    sources: list[Any] = []
    targets: list[Any] = []
    for start in range(0, len(pairs), ENCODE_CHUNK):
        chunk = pairs[start : start + ENCODE_CHUNK]
        source_ids = tokenizer([p.source for p in chunk], truncation=True, max_length=model.max_source_tokens)
        target_ids = tokenizer(text_target=[p.target for p in chunk], truncation=True,
                               max_length=model.max_target_tokens)
        sources += [np.asarray(ids, dtype=np.int32) for ids in source_ids["input_ids"]]
        targets += [np.asarray(ids, dtype=np.int32) for ids in target_ids["input_ids"]]
    return Encoded(sources, targets)


def epoch_batches(lengths: Sequence[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Indices of every pair, in batches of similar length, in a random order fixed by (seed, epoch)."""
    rng = random.Random(f"{seed}-{epoch}")
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    for start in range(0, len(order), batch_size * BUCKET):
        bucket = sorted(order[start : start + batch_size * BUCKET], key=lambda k: lengths[k])
        batches.extend(bucket[k : k + batch_size] for k in range(0, len(bucket), batch_size))
    rng.shuffle(batches)
    return batches


def batch_stream(lengths: Sequence[int], batch_size: int, seed: int, epoch: int = 0,
                 skip: int = 0) -> Iterator[tuple[int, int, list[int]]]:
    """(epoch, batch number within it, indices) forever, starting `skip` batches into `epoch`."""
    while True:
        batches = epoch_batches(lengths, batch_size, seed, epoch)
        for number in range(skip, len(batches)):
            yield epoch, number, batches[number]
        epoch, skip = epoch + 1, 0


def collate(encoded: Encoded, indices: Sequence[int], pad_id: int, start_id: int, device: str) -> dict[str, Any]:
    """Padded tensors; labels are -100 where padded so the loss skips them."""
    import torch

    sources = [encoded.sources[k] for k in indices]
    targets = [encoded.targets[k] for k in indices]
    width = max(map(len, sources))
    height = max(map(len, targets))
    input_ids = torch.full((len(indices), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(indices), width), dtype=torch.long)
    labels = torch.full((len(indices), height), -100, dtype=torch.long)
    decoder_input = torch.full((len(indices), height), pad_id, dtype=torch.long)
    for row, (source, target) in enumerate(zip(sources, targets)):
        target_ids = torch.as_tensor(target, dtype=torch.long)
        input_ids[row, : len(source)] = torch.as_tensor(source, dtype=torch.long)
        attention[row, : len(source)] = 1
        labels[row, : len(target)] = target_ids
        # Teacher forcing: the decoder reads the target shifted right, starting from </s> (BART).
        decoder_input[row, 0] = start_id
        decoder_input[row, 1 : len(target)] = target_ids[:-1]
    tensors = {"input_ids": input_ids, "attention_mask": attention, "decoder_input_ids": decoder_input,
               "labels": labels}
    return {name: value.to(device, non_blocking=True) for name, value in tensors.items()}


def build_model(settings: Settings, tokenizer: Any) -> Any:
    """A BART of the configured size, from scratch, with BART's special ids from our tokenizer."""
    from transformers import BartConfig, BartForConditionalGeneration

    model = settings.model
    eos = tokenizer.eos_token_id
    config_class, model_class = BartConfig, BartForConditionalGeneration
    if model.pointer:
        from digest.summarize.pointer import PointerBartConfig, PointerBartForConditionalGeneration

        config_class, model_class = PointerBartConfig, PointerBartForConditionalGeneration
    config = config_class(
        vocab_size=len(tokenizer),
        d_model=model.d_model,
        encoder_layers=model.encoder_layers,
        decoder_layers=model.decoder_layers,
        encoder_attention_heads=model.attention_heads,
        decoder_attention_heads=model.attention_heads,
        encoder_ffn_dim=model.ffn_dim,
        decoder_ffn_dim=model.ffn_dim,
        max_position_embeddings=max(model.max_source_tokens, model.max_target_tokens),
        dropout=model.dropout,
        attention_dropout=model.attention_dropout,
        activation_dropout=0.0,
        scale_embedding=True,  # embeddings x sqrt(d_model): steadier from scratch
        tie_word_embeddings=True,  # one table for encoder, decoder and output: copying a source piece is cheap
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=eos,
        decoder_start_token_id=eos,
        forced_eos_token_id=eos,
    )
    return model_class(config)


def set_generation_defaults(model: Any, settings: Settings) -> None:
    """What a plain `generate()` on the exported model does: the loading path's own defaults."""
    generation = model.generation_config
    generation.num_beams = settings.train.final_beams
    generation.no_repeat_ngram_size = 3
    generation.max_new_tokens = settings.model.max_target_tokens
    generation.early_stopping = True
    generation.decoder_start_token_id = model.config.decoder_start_token_id
    generation.pad_token_id = model.config.pad_token_id
    generation.eos_token_id = model.config.eos_token_id
    generation.forced_eos_token_id = model.config.eos_token_id
