"""The pointer-generator BART: a distribution that sums to one, copying that copies, and the Auto loading path."""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from transformers import AutoConfig, AutoModelForSeq2SeqLM  # noqa: E402

from digest.summarize.pointer import (  # noqa: E402
    MODEL_TYPE,
    PointerBartConfig,
    PointerBartForConditionalGeneration,
)

VOCAB, PAD, EOS = 40, 1, 2


def tiny(seed: int = 0) -> PointerBartForConditionalGeneration:
    torch.manual_seed(seed)
    config = PointerBartConfig(vocab_size=VOCAB, d_model=32, encoder_layers=1, decoder_layers=1,
                               encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=64,
                               decoder_ffn_dim=64, max_position_embeddings=64, pad_token_id=PAD, bos_token_id=0,
                               eos_token_id=EOS, decoder_start_token_id=EOS, forced_eos_token_id=EOS, init_std=0.5)
    return PointerBartForConditionalGeneration(config).eval()


def sources() -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.tensor([[5, 6, 7, 8, 9, EOS], [20, 21, 22, EOS, PAD, PAD]])
    return ids, (ids != PAD).long()


def test_each_step_is_a_distribution_over_the_vocabulary():
    model = tiny()
    ids, mask = sources()
    labels = torch.tensor([[7, 8, EOS], [21, 22, EOS]])
    output = model(input_ids=ids, attention_mask=mask, labels=labels)
    totals = output.logits.exp().sum(-1)
    assert torch.allclose(totals, torch.ones_like(totals), atol=1e-4)
    expected = -output.logits.gather(-1, labels[..., None]).mean()
    assert output.loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_a_closed_gate_copies_only_from_its_own_source_and_never_from_padding():
    model = tiny()
    with torch.no_grad():  # gate = sigmoid(-30): the generator's share is ~1e-13
        model.copy_gate.weight.zero_()
        model.copy_gate.bias.fill_(-30.0)
    ids, mask = sources()
    generated = model.generate(input_ids=ids, attention_mask=mask, num_beams=3, max_new_tokens=6,
                               no_repeat_ngram_size=0, do_sample=False)
    for row, source in zip(generated.tolist(), ids.tolist()):
        written = [t for t in row[1:] if t not in (EOS, PAD)]
        assert written, "the model wrote nothing"
        assert set(written) <= set(source) - {PAD}, (written, source)


def test_an_open_gate_is_the_plain_generator():
    model = tiny()
    with torch.no_grad():
        model.copy_gate.weight.zero_()
        model.copy_gate.bias.fill_(30.0)
    ids, mask = sources()
    decoder = torch.full((2, 1), EOS)
    output = model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder)
    states = model.model(input_ids=ids, attention_mask=mask, decoder_input_ids=decoder).last_hidden_state
    plain = (model.lm_head(states) + model.final_logits_bias).log_softmax(-1)
    assert torch.allclose(output.logits, plain, atol=1e-4)


def test_beam_search_over_a_batch_gives_what_each_input_alone_gives():
    model = tiny(seed=3)
    ids, mask = sources()
    together = model.generate(input_ids=ids, attention_mask=mask, num_beams=4, max_new_tokens=8)
    for row in range(2):
        alone_ids = ids[row : row + 1, : int(mask[row].sum())]
        alone = model.generate(input_ids=alone_ids, attention_mask=torch.ones_like(alone_ids), num_beams=4,
                               max_new_tokens=8)
        written = [t for t in together[row].tolist() if t != PAD]
        assert written == [t for t in alone[0].tolist() if t != PAD]


def test_saved_model_loads_back_through_the_auto_classes(tmp_path):
    model = tiny(seed=5)
    model.save_pretrained(str(tmp_path))
    assert AutoConfig.from_pretrained(str(tmp_path)).model_type == MODEL_TYPE
    loaded = AutoModelForSeq2SeqLM.from_pretrained(str(tmp_path)).eval()
    assert isinstance(loaded, PointerBartForConditionalGeneration)
    ids, mask = sources()
    first = model.generate(input_ids=ids, attention_mask=mask, num_beams=2, max_new_tokens=5)
    again = loaded.generate(input_ids=ids, attention_mask=mask, num_beams=2, max_new_tokens=5)
    assert torch.equal(first, again)


def test_without_input_ids_there_is_nothing_to_copy():
    model = tiny()
    with pytest.raises(ValueError, match="copies from input_ids"):
        model(decoder_input_ids=torch.full((1, 1), EOS))
