"""Train the compact Chinese BART, evaluate it on LCSTS val, export it.

    python -m training.train --config training/config.toml
        [--data DIR] [--prepared DIR] [--work-dir DIR] [--export DIR]
        [--max-steps N] [--max-minutes M] [--device auto|cpu|cuda] [--threads N]
        [--init-from MODEL_DIR] [--no-resume]

1. prepare: pairs + tokenizer into the prepared folder (skipped when it is up to date)
2. build a BART from scratch (or start from --init-from, an exported model)
3. train: AdamW, warmup then cosine decay, label smoothing, gradient clipping,
   bf16 autocast (train.bf16); checkpoints every `checkpoint_every` steps in
   work_dir/checkpoints, and a run resumes from the newest one that fits its config
4. every `eval_every` steps: character ROUGE on LCSTS val; the best weights so far
   are kept in work_dir/best
5. at the end (max_steps or max_minutes): the best weights, scored on all of
   LCSTS val with beam search, saved with the tokenizer to the export folder
   (`save_pretrained`), with training_report.json beside them

Logs go to standard output and work_dir/train.log; figures to work_dir/metrics.jsonl.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from digest.errors import TrainingError
from digest.summarize.cjk import strip_cjk_spaces
from digest.summarize.guard import repeated_unit
from digest.summarize.rouge import corpus_rouge

from .batches import batch_stream, build_model, collate, encode, set_generation_defaults
from .data import TOKENIZER_DIR, TRAIN_FILE, VAL_FILE, prepare, read_pairs
from .settings import Settings, exit_code_of, load_settings

log = logging.getLogger("training")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default="training/config.toml")
    parser.add_argument("--data", help="folder of the raw corpora (data.dir)")
    parser.add_argument("--prepared", help="folder of packed pairs + tokenizer (data.prepared)")
    parser.add_argument("--work-dir", help="checkpoints and logs (train.work_dir)")
    parser.add_argument("--export", help="where the final model goes (export.dir)")
    parser.add_argument("--max-steps", type=int)
    parser.add_argument("--max-minutes", type=float)
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--threads", type=int, help="torch CPU threads (1 leaves a core to others)")
    parser.add_argument("--init-from",
                        help="start from this exported model (its weights and its tokenizer) instead of from scratch")
    parser.add_argument("--no-resume", action="store_true", help="ignore checkpoints in the work folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = load_settings(args.config, {
        "data": {"dir": args.data, "prepared": args.prepared},
        "train": {"work_dir": args.work_dir, "max_steps": args.max_steps, "max_minutes": args.max_minutes,
                  "device": args.device, "threads": args.threads},
        "export": {"dir": args.export},
    })
    work_dir = settings.path(settings.train.work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    _log_to(work_dir / "train.log")
    prepared = prepare(settings, settings.path(settings.data.prepared))
    Trainer(settings, prepared, work_dir, init_from=args.init_from, resume=not args.no_resume).run()
    return 0


def _log_to(path: Path) -> None:
    log.setLevel(logging.INFO)
    log.handlers[:] = []
    for handler in (logging.StreamHandler(), logging.FileHandler(path, encoding="utf-8")):
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
    log.propagate = False


class Trainer:
    def __init__(self, settings: Settings, prepared: Path, work_dir: Path, init_from: str | None = None,
                 resume: bool = True) -> None:
        import torch
        from transformers import AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # one bar per save: noise in the log
        self.torch = torch
        self.settings = settings
        self.work_dir = work_dir
        train = settings.train
        if train.threads:
            torch.set_num_threads(train.threads)
        random.seed(settings.seed)
        torch.manual_seed(settings.seed)
        self.device = "cuda" if train.device == "auto" and torch.cuda.is_available() else (
            "cpu" if train.device == "auto" else train.device)
        # A model to continue from keeps the vocabulary it was trained with.
        self.tokenizer = AutoTokenizer.from_pretrained(init_from or str(prepared / TOKENIZER_DIR))
        self.train_data = encode(self.tokenizer, read_pairs(prepared / TRAIN_FILE), settings)
        self.val_pairs = read_pairs(prepared / VAL_FILE)
        if init_from:
            self.model = _load_model(init_from)
        else:
            self.model = build_model(settings, self.tokenizer)
        self.model.to(self.device)
        self.optimizer = torch.optim.AdamW(self._parameter_groups(), lr=train.lr, betas=(0.9, 0.98), eps=1e-6)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(self.optimizer, self._lr_factor)
        self.step, self.epoch, self.batch_in_epoch, self.best_r1 = 0, 0, 0, -1.0
        # A checkpoint fits a run with the same data, vocabulary and model shape.
        self.fingerprint = settings.fingerprint("seed", "data", "tokenizer", "model")
        parameters = sum(p.numel() for p in self.model.parameters())
        log.info("model: %.1fM parameters on %s; %d training pairs, %d val pairs", parameters / 1e6, self.device,
                 len(self.train_data.sources), len(self.val_pairs))
        if resume:
            self._resume()

    def _parameter_groups(self) -> list[dict[str, Any]]:
        """No weight decay on biases, LayerNorms and embeddings' scale-free parts."""
        decay, plain = [], []
        for name, parameter in self.model.named_parameters():
            (plain if parameter.ndim < 2 or "layer_norm" in name or "layernorm" in name else decay).append(parameter)
        return [{"params": decay, "weight_decay": self.settings.train.weight_decay},
                {"params": plain, "weight_decay": 0.0}]

    def _lr_factor(self, step: int) -> float:
        train = self.settings.train
        if step < train.warmup_steps:
            return (step + 1) / train.warmup_steps
        progress = min(1.0, (step - train.warmup_steps) / max(1, train.max_steps - train.warmup_steps))
        return train.min_lr_ratio + (1 - train.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * progress))

    def run(self) -> None:
        train = self.settings.train
        torch = self.torch
        started = time.monotonic()
        lengths = [len(s) for s in self.train_data.sources]
        stream = batch_stream(lengths, train.batch_size, self.settings.seed, self.epoch, self.batch_in_epoch)
        pad, start_id = self.tokenizer.pad_token_id, self.model.config.decoder_start_token_id
        self.model.train()
        window_loss, window_steps, window_start = 0.0, 0, time.monotonic()
        while self.step < train.max_steps:
            if train.max_minutes and time.monotonic() - started > 60 * train.max_minutes:
                log.info("time limit of %g minutes reached at step %d", train.max_minutes, self.step)
                break
            self.epoch, number, indices = next(stream)
            self.batch_in_epoch = number + 1
            batch = collate(self.train_data, indices, pad, start_id, self.device)
            labels = batch.pop("labels")
            with torch.autocast(self.device, dtype=torch.bfloat16, enabled=train.bf16):
                logits = self.model(**batch).logits
            loss = torch.nn.functional.cross_entropy(logits.float().view(-1, logits.size(-1)), labels.view(-1),
                                                     ignore_index=-100, label_smoothing=train.label_smoothing)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), train.grad_clip)
            self.optimizer.step()
            self.scheduler.step()
            self.step += 1
            window_loss += loss.item()
            window_steps += 1
            if self.step % train.log_every == 0 or self.step == train.max_steps:
                rate = window_steps / (time.monotonic() - window_start)
                self._metric(step=self.step, loss=round(window_loss / window_steps, 4),
                             lr=self.scheduler.get_last_lr()[0], steps_per_s=round(rate, 2), epoch=self.epoch)
                window_loss, window_steps, window_start = 0.0, 0, time.monotonic()
            if self.step % train.eval_every == 0:
                self._evaluate_and_keep_best(train.eval_items, train.eval_beams)
            if self.step % train.checkpoint_every == 0:
                self._save_checkpoint()
        if self.step % train.checkpoint_every:
            self._save_checkpoint()
        if self.step % train.eval_every:
            self._evaluate_and_keep_best(train.eval_items, train.eval_beams)
        self._export(minutes=(time.monotonic() - started) / 60)

    def evaluate(self, items: int, beams: int) -> dict[str, float]:
        """Character ROUGE on the first `items` LCSTS val pairs (0: all), plus empty and looping shares."""
        torch = self.torch
        pairs = self.val_pairs[:items] if items else self.val_pairs
        self.model.eval()
        outputs = []
        with torch.inference_mode():
            for start in range(0, len(pairs), 64):
                chunk = [p.source for p in pairs[start : start + 64]]
                encoded = self.tokenizer(chunk, padding=True, truncation=True,
                                         max_length=self.settings.model.max_source_tokens, return_tensors="pt")
                generated = self.model.generate(
                    input_ids=encoded["input_ids"].to(self.device),
                    attention_mask=encoded["attention_mask"].to(self.device),
                    num_beams=beams, no_repeat_ngram_size=3, max_new_tokens=self.settings.model.max_target_tokens,
                    do_sample=False, early_stopping=beams > 1)
                texts = self.tokenizer.batch_decode(generated, skip_special_tokens=True)
                outputs += [strip_cjk_spaces(text) for text in texts]
        self.model.train()
        scores = corpus_rouge(zip(outputs, (p.target for p in pairs)))
        return {"R1": round(scores.rouge1, 2), "R2": round(scores.rouge2, 2), "RL": round(scores.rougeL, 2),
                "empty": round(sum(not o for o in outputs) / len(outputs), 4),
                "loops": round(sum(repeated_unit(o) is not None for o in outputs) / len(outputs), 4),
                "items": len(outputs), "beams": beams, "example": outputs[0] if outputs else ""}

    def _evaluate_and_keep_best(self, items: int, beams: int) -> None:
        scores = self.evaluate(items, beams)
        self._metric(step=self.step, val=scores)
        if scores["R1"] > self.best_r1:
            self.best_r1 = scores["R1"]
            best = self.work_dir / "best"
            self.model.save_pretrained(str(best))
            self.tokenizer.save_pretrained(str(best))
            (best / "step.json").write_text(json.dumps({"step": self.step, "val": scores}, ensure_ascii=False))

    def _metric(self, **figures: Any) -> None:
        line = json.dumps(figures, ensure_ascii=False)
        log.info("%s", line)
        with open(self.work_dir / "metrics.jsonl", "a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def _checkpoints(self) -> list[Path]:
        return sorted((self.work_dir / "checkpoints").glob("step-*.pt"))

    def _save_checkpoint(self) -> None:
        torch = self.torch
        folder = self.work_dir / "checkpoints"
        folder.mkdir(exist_ok=True)
        state = {
            "fingerprint": self.fingerprint, "step": self.step, "epoch": self.epoch,
            "batch_in_epoch": self.batch_in_epoch, "best_r1": self.best_r1,
            "model": self.model.state_dict(), "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(), "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if self.device == "cuda" else None,
        }
        path = folder / f"step-{self.step:07d}.pt"
        partial = path.with_suffix(".partial")
        torch.save(state, partial)
        partial.replace(path)  # a run killed mid-save leaves the previous checkpoint intact
        for old in self._checkpoints()[: -self.settings.train.keep_checkpoints]:
            old.unlink()
        log.info("checkpoint %s", path.name)

    def _resume(self) -> None:
        torch = self.torch
        checkpoints = self._checkpoints()
        if not checkpoints:
            return
        state = torch.load(checkpoints[-1], map_location=self.device, weights_only=False)
        if state["fingerprint"] != self.fingerprint:
            raise TrainingError(f"{checkpoints[-1]} was made with other data or model settings: "
                             "use another --work-dir or --no-resume")
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["torch_rng"].cpu())
        if state["cuda_rng"] is not None and self.device == "cuda":
            torch.cuda.set_rng_state_all([s.cpu() for s in state["cuda_rng"]])
        self.step, self.epoch = state["step"], state["epoch"]
        self.batch_in_epoch, self.best_r1 = state["batch_in_epoch"], state["best_r1"]
        log.info("resumed from %s (step %d)", checkpoints[-1].name, self.step)

    def _export(self, minutes: float) -> None:
        best = self.work_dir / "best"
        model = _load_model(str(best)) if best.is_dir() else self.model
        self.model = model.to(self.device)
        final = self.evaluate(0, self.settings.train.final_beams)
        self._metric(step=self.step, final_val=final)
        export = self.settings.path(self.settings.export.dir)
        if export.exists():
            shutil.rmtree(export)
        set_generation_defaults(self.model, self.settings)
        self.model.save_pretrained(str(export))
        self.tokenizer.save_pretrained(str(export))
        best_step = json.loads((best / "step.json").read_text())["step"] if best.is_dir() else self.step
        report = {
            "name": self.settings.export.name, "steps": self.step, "best_step": best_step,
            "minutes_this_run": round(minutes, 2), "device": self.device,
            "parameters": sum(p.numel() for p in self.model.parameters()),
            "lcsts_val": final, "settings": asdict(self.settings),
            "data": json.loads((self.settings.path(self.settings.data.prepared) / "manifest.json").read_text()),
            "versions": {"torch": self.torch.__version__, "transformers": _version("transformers")},
        }
        card = self.settings.export.card and self.settings.path(self.settings.export.card)
        if card and card.is_file():
            shutil.copyfile(card, export / "MODEL_CARD.md")
        (export / "training_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1, default=list))
        log.info("exported to %s: LCSTS val R1 %.1f R2 %.1f RL %.1f (beam %d)", export, final["R1"], final["R2"],
                 final["RL"], final["beams"])


def _load_model(directory: str) -> Any:
    """An exported model, plain BART or the pointer variant, by its config's model type."""
    import digest.summarize.pointer  # noqa: F401  (registers digest-pointer-bart with the Auto classes)
    from transformers import AutoModelForSeq2SeqLM

    return AutoModelForSeq2SeqLM.from_pretrained(directory)


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


if __name__ == "__main__":
    raise SystemExit(exit_code_of(main))
