#!/usr/bin/env bash
# Train the compact Chinese BART on the lent GPU machine (issue 3).
#
#   here, first:  bash training/device_run.sh prepare
#                 packs the training pairs and the tokenizer into scratch/device/ (~31 MiB,
#                 ignored by git): ../shared does not travel to the device, this folder does
#   the device:   run(command="bash training/device_run.sh train", carry=["scratch/device"], timeout_s=570)
#                 trains for MAX_MINUTES (default 6), scores LCSTS val, exports the model; it comes
#                 back in $OUT as model.tar.part-00, -01, … (15 MiB each) beside train.log and metrics.jsonl
#   here, after:  bash training/device_run.sh unpack FILES_AT [models/digest-bart-zh]
#
# To continue from a model trained in an earlier session, unpack it into scratch/device/init
# and run with INIT_FROM=scratch/device/init (fresh optimiser, the same data).
set -euo pipefail
cd "$(dirname "$0")/.."
PACK=scratch/device

case "${1:-}" in
prepare)
    "${PYTHON:-.venv/bin/python}" -m training.data --config training/config.toml --out "$PACK"
    du -sh "$PACK"
    ;;
train)
    : "${OUT:?run this on the device machine, where \$OUT is set}"
    if [ ! -f "$PACK/manifest.json" ]; then
        echo "no $PACK/manifest.json: run 'training/device_run.sh prepare' here first and carry $PACK" >&2
        exit 1
    fi
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
    python3 -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__, "cuda", torch.cuda.is_available())'
    export PYTHONUNBUFFERED=1
    set +e
    python3 -m training.train --config training/config.toml --prepared "$PACK" \
        --work-dir /tmp/digest-train --export /tmp/digest-export --device cuda \
        --max-minutes "${MAX_MINUTES:-6}" ${INIT_FROM:+--init-from "$INIT_FROM"} 2>&1 | tee "$OUT/train.log"
    status=${PIPESTATUS[0]}
    set -e
    cp /tmp/digest-train/metrics.jsonl "$OUT/" 2>/dev/null || true
    # At most 8 files of 16 MiB come back: one tar, cut into 15 MiB parts.
    if [ -d /tmp/digest-export ]; then
        tar -C /tmp/digest-export -cf - . | split -b 15M -d - "$OUT/model.tar.part-"
    fi
    ls -la "$OUT"
    exit "$status"
    ;;
unpack)
    source_dir=${2:?usage: $0 unpack FILES_AT [DEST]}
    dest=${3:-models/digest-bart-zh}
    mkdir -p "$dest"
    cat "$source_dir"/model.tar.part-* | tar -xf - -C "$dest"
    ls -la "$dest"
    ;;
*)
    echo "usage: $0 prepare | train | unpack FILES_AT [DEST]" >&2
    exit 2
    ;;
esac
