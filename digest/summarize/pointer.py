"""A BART that can copy: the pointer-generator head of digest's own model.

LCSTS-style headlines copy most of their characters from the source, and a
small model trained on ~80k pairs cannot learn an output embedding for every
name and number it meets. A pointer-generator (See et al., 2017) gives each
decoding step two ways to emit a token:

    p(w) = gate * softmax(lm_head(h))[w]  +  (1 - gate) * sum of copy attention on source positions holding w

where the copy attention is one extra attention head from the decoder's last
state onto the encoder's last states, and the gate is a sigmoid of that state
and the copied context. The forward pass returns log p as `logits`, so
`generate()`, beam search and the usual cross-entropy all work unchanged
(log-softmax of a log-distribution is the identity).

The class registers itself with transformers' Auto classes under the model
type `digest-pointer-bart`, so the loading path is the ordinary
`AutoModelForSeq2SeqLM.from_pretrained(local_dir)` once this module is imported.
Importing it imports torch and transformers.
"""

from __future__ import annotations

import functools
import inspect
import math
from typing import Any

import torch
from torch import nn
from transformers import AutoConfig, AutoModelForSeq2SeqLM, BartConfig, BartForConditionalGeneration
from transformers.modeling_outputs import Seq2SeqLMOutput

MODEL_TYPE = "digest-pointer-bart"
SOURCE_IDS = "source_ids"  # the key under which the encoder output carries the ids it read
_FLOOR = 1e-9  # log(0) would make beam search and the loss infinite


class PointerBartConfig(BartConfig):
    model_type = MODEL_TYPE


class PointerBartForConditionalGeneration(BartForConditionalGeneration):
    config_class = PointerBartConfig

    def __init__(self, config: PointerBartConfig) -> None:
        super().__init__(config)
        width = config.d_model
        self.copy_query = nn.Linear(width, width, bias=False)
        self.copy_key = nn.Linear(width, width, bias=False)
        self.copy_gate = nn.Linear(2 * width, 1)
        self.post_init()

    def get_encoder(self, *args: Any, **kwargs: Any) -> nn.Module:
        # generate() runs the encoder once through this; the decoding steps after it
        # see only the encoder's output, so that output must carry the source ids.
        return _SourceKeepingEncoder(super().get_encoder(*args, **kwargs))

    def forward(self, input_ids: torch.LongTensor | None = None, attention_mask: torch.Tensor | None = None,
                decoder_input_ids: torch.LongTensor | None = None, encoder_outputs: Any = None,
                labels: torch.LongTensor | None = None, **kwargs: Any) -> Seq2SeqLMOutput:
        if encoder_outputs is None:
            if input_ids is None:
                raise ValueError("a pointer model copies from input_ids: pass them (or encoder_outputs)")
            encoder_outputs = self.get_encoder()(input_ids=input_ids, attention_mask=attention_mask, return_dict=True)
        source_ids = encoder_outputs[SOURCE_IDS]
        if decoder_input_ids is None and labels is not None:
            decoder_input_ids = _shift_right(labels, self.config.pad_token_id, self.config.decoder_start_token_id)
        kwargs.pop("return_dict", None)
        outputs = self.model(input_ids=None, attention_mask=attention_mask, decoder_input_ids=decoder_input_ids,
                             encoder_outputs=encoder_outputs, return_dict=True, **kwargs)
        log_probs = self._mix(outputs.last_hidden_state, outputs.encoder_last_hidden_state, source_ids, attention_mask)
        loss = None
        if labels is not None:
            loss = nn.functional.nll_loss(log_probs.reshape(-1, log_probs.size(-1)), labels.reshape(-1),
                                          ignore_index=-100)
        rest = {key: value for key, value in outputs.items() if key != "last_hidden_state"}
        return Seq2SeqLMOutput(loss=loss, logits=log_probs, **rest)

    def _mix(self, decoder_states: torch.Tensor, encoder_states: torch.Tensor, source_ids: torch.Tensor,
             attention_mask: torch.Tensor | None) -> torch.Tensor:
        """log p(w) per decoder position: the generator's and the copier's distributions, gated."""
        vocab_logits = self.lm_head(decoder_states) + self.final_logits_bias.to(decoder_states.device)
        scores = self.copy_query(decoder_states) @ self.copy_key(encoder_states).transpose(1, 2)
        scores = scores.float() / math.sqrt(decoder_states.size(-1))
        if attention_mask is not None:
            scores = scores.masked_fill(attention_mask[:, None, :] == 0, torch.finfo(scores.dtype).min)
        copy_attention = scores.softmax(-1)
        context = copy_attention.to(encoder_states.dtype) @ encoder_states
        gate = torch.sigmoid(self.copy_gate(torch.cat([decoder_states, context], -1)).float())
        generated = vocab_logits.float().softmax(-1)
        copied = torch.zeros_like(generated).scatter_add_(
            2, source_ids[:, None, :].expand(-1, decoder_states.size(1), -1), copy_attention)
        return torch.log((gate * generated + (1 - gate) * copied).clamp_min(_FLOOR))


class _SourceKeepingEncoder(nn.Module):
    """The model's encoder, whose output also holds the input ids (see `get_encoder`)."""

    def __init__(self, encoder: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self._accepts = _keywords_of(type(encoder))

    def forward(self, input_ids: torch.LongTensor | None = None, **kwargs: Any) -> Any:
        if input_ids is None:
            raise ValueError("a pointer model copies from input_ids: inputs_embeds alone cannot be copied")
        if self._accepts is not None:
            kwargs = {key: value for key, value in kwargs.items() if key in self._accepts}
        kwargs["return_dict"] = True
        output = self.encoder(input_ids=input_ids, **kwargs)
        output[SOURCE_IDS] = input_ids  # beam search repeats every tensor of this output per beam
        return output


@functools.lru_cache(maxsize=None)
def _keywords_of(encoder_class: type) -> frozenset[str] | None:
    """The keywords an encoder's forward takes (None: any). Once per class: every
    training step builds a `_SourceKeepingEncoder`, and signatures are slow to read."""
    parameters = inspect.signature(encoder_class.forward).parameters
    return None if any(p.kind is p.VAR_KEYWORD for p in parameters.values()) else frozenset(parameters) - {"self"}


def _shift_right(labels: torch.Tensor, pad_id: int, start_id: int) -> torch.Tensor:
    shifted = labels.new_full(labels.shape, pad_id)
    shifted[:, 1:] = labels[:, :-1]
    shifted[:, 0] = start_id
    return shifted.masked_fill(shifted == -100, pad_id)


def register() -> None:
    """Make `digest-pointer-bart` known to AutoConfig and AutoModelForSeq2SeqLM (idempotent)."""
    try:
        AutoConfig.register(MODEL_TYPE, PointerBartConfig)
        AutoModelForSeq2SeqLM.register(PointerBartConfig, PointerBartForConditionalGeneration)
    except ValueError:  # already registered by an earlier import
        pass


register()
