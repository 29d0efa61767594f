"""Export the EMA weights of a training run to the shipped model directory.

  python training/export.py --run training/runs/dit-s8-fashion --out assets/models/dit-s8-fashion

Writes config.json, F16 safetensors shards (<= 16 MiB each) + model.safetensors.index.json with the official
DiT key names (pos_embed included), and reference/{x.npy,inputs.json,out.npy}: the forward of the model whose
weights are the exported F16 tensors converted back to float32.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from dit_model import CONFIG_KEYS, build, size_name  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARD_LIMIT = 16 * 1024 * 1024
REF_SEED = 20231219
REF_T = [500, 37]
REF_Y = [3, 10]  # 10 = null class


def shard(state, dtype, limit):
    shards, cur, size = [], {}, 0
    for k, v in state.items():
        t = v.detach().to(dtype).contiguous()
        nbytes = t.numel() * t.element_size()
        if cur and size + nbytes > limit - 64 * 1024:  # leave room for the header
            shards.append(cur)
            cur, size = {}, 0
        cur[k] = t
        size += nbytes
    if cur:
        shards.append(cur)
    return shards


def load_exported(model_dir):
    from safetensors.torch import load_file
    idx = json.load(open(os.path.join(model_dir, "model.safetensors.index.json")))
    sd = {}
    for f in sorted(set(idx["weight_map"].values())):
        sd.update(load_file(os.path.join(model_dir, f)))
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    model = build(cfg).eval()
    model.load_state_dict({k: v.float() for k, v in sd.items()}, strict=True)
    return model, cfg


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", default=os.path.join(HERE, "runs", "dit-s8-fashion"))
    p.add_argument("--out", default=None, help="default: assets/models/<run name>")
    p.add_argument("--dtype", choices=["f16", "bf16"], default="f16")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--step", type=int, default=0, help="export the EMA kept at this step (train.py --ema-every)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    a.out = a.out or os.path.join(ROOT, "assets", "models", os.path.basename(os.path.normpath(a.run)))
    t0 = time.time()
    ck = torch.load(os.path.join(a.run, f"ema-{a.step}.pt" if a.step else "ckpt.pt"), map_location="cpu",
                    weights_only=False)
    config = ck["config"]
    meta = ck.get("meta", {})
    ema = ck["ema"]
    model = build(config).eval()
    model.load_state_dict(ema, strict=True)
    state = model.state_dict()  # official key order, pos_embed included
    dtype = torch.float16 if a.dtype == "f16" else torch.bfloat16
    for k, v in state.items():
        if v.abs().max().item() > 6.0e4 and dtype == torch.float16:
            raise SystemExit(f"{k} overflows float16")

    os.makedirs(os.path.join(a.out, "reference"), exist_ok=True)
    for f in os.listdir(a.out):
        if f.startswith("model-") and f.endswith(".safetensors"):
            os.remove(os.path.join(a.out, f))
    shards = shard(state, dtype, SHARD_LIMIT)
    n = len(shards)
    weight_map, total = {}, 0
    for i, sh in enumerate(shards):
        name = f"model-{i + 1:05d}-of-{n:05d}.safetensors"
        save_file(sh, os.path.join(a.out, name), metadata={"format": "pt"})
        os.chmod(os.path.join(a.out, name), 0o644)
        assert os.path.getsize(os.path.join(a.out, name)) <= SHARD_LIMIT
        for k, v in sh.items():
            weight_map[k] = name
            total += v.numel() * v.element_size()
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map},
              open(os.path.join(a.out, "model.safetensors.index.json"), "w"), indent=2)

    steps = int(ck.get("prior_steps", 0)) + int(ck["step"])
    args = dict(meta.get("args", {}))
    # The schedule the last resume ran with (findings.py passes it to every chunk; a decay moved
    # before it began is the one that ran).
    args.update({k: v for k, v in (meta.get("args_resume") or {}).items() if k in ("decay_start", "decay_end")})
    prior = dict(meta.get("init_from") or {})
    if prior and "train_seconds" not in prior:   # a run started before train.py kept it: the prior model's own,
        try:                                     # while that model is still the one it started from
            before = json.load(open(os.path.join(ROOT, prior["path"], "config.json")))
            if before.get("training_steps") == prior.get("steps"):
                prior["train_seconds"] = before["training"]["train_seconds"]
        except (OSError, KeyError, ValueError):
            pass
    cmd = f"python training/train.py --name {args.get('name', 'dit-s8-fashion')}"
    if args.get("steps"):
        cmd += f" --steps {int(ck['step'])}"   # a chunked run (findings.py) names its first chunk's target
    if args.get("minutes"):
        cmd += f" --minutes {args['minutes']:g}"
    cmd += f" --seed {args.get('seed', 0)}"
    if args.get("init_from"):
        cmd += f" --init-from {args['init_from']}"
    if args.get("conditioning"):
        cmd += f" --conditioning {args['conditioning']}"
    for k, d in (("patch", 8), ("hidden", 384), ("depth", 12), ("heads", 6), ("batch", 128), ("lr", 1e-4),
                 ("warmup", 0), ("decay_start", 0), ("decay_end", 0), ("ema_decay", 0.999), ("hflip", 1),
                 ("precision", None), ("threads", 2)):
        if k in args and args[k] != d:
            cmd += f" --{k.replace('_', '-')} {args[k]}"
    cfg_out = {k: config[k] for k in CONFIG_KEYS}
    cfg_out.update(
        model_type=size_name(config),
        class_names=data.CLASS_NAMES,
        dataset="Fashion-MNIST",
        image_size=32, source_size=28, padding=2, pad_value=-1.0, normalisation="x/127.5-1",
        null_class=config["num_classes"],
        class_dropout_prob=0.1,
        diffusion=dict(num_timesteps=1000, beta_schedule="linear", beta_start=1e-4, beta_end=0.02,
                       learn_sigma=config["learn_sigma"], variance="learned_range", prediction="eps"),
        weights_dtype="F16" if dtype == torch.float16 else "BF16",
        weights="EMA",
        training_steps=steps,
        training=dict(
            command=cmd,
            steps_this_run=int(ck["step"]), prior_steps=int(ck.get("prior_steps", 0)),
            init_from=prior or None,
            batch_size=args.get("batch", 128), lr=args.get("lr", 1e-4),
            lr_schedule=meta.get("lr_schedule"), weight_decay=0.0, optimizer="AdamW",
            warmup_steps=args.get("warmup", 0),
            ema_decay=args.get("ema_decay", 0.999), precision=args.get("precision", "fp32"),
            hflip=bool(args.get("hflip", 1)), seed=args.get("seed", 0),
            train_seconds=round(float(ck["wall_seconds"]), 1),
            epochs_seen=round(int(ck["step"]) * args.get("batch", 128) / 60000, 2),
            checkpoint_time_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ck.get("time", time.time()))),
            hardware=meta.get("hardware", "2-core x86-64 CPU (AMD EPYC, AVX2), no GPU")),
    )
    json.dump(cfg_out, open(os.path.join(a.out, "config.json"), "w"), indent=2)

    # reference forward with the exported (F16 -> F32) weights
    model16, _ = load_exported(a.out)
    g = torch.Generator().manual_seed(REF_SEED)
    x = torch.randn(2, 1, 32, 32, generator=g)
    t = torch.tensor(REF_T)
    y = torch.tensor(REF_Y)
    with torch.no_grad():
        out = model16(x, t, y)
        out_f32 = model(x, t, y)
    np.save(os.path.join(a.out, "reference", "x.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(a.out, "reference", "out.npy"), out.numpy().astype(np.float32))
    json.dump(dict(t=REF_T, y=REF_Y, x_seed=REF_SEED, x="torch.randn(2,1,32,32, generator=manual_seed(x_seed))",
                   out="model(x, t, y) with the exported weights converted to float32; shape (2, 2, 32, 32) "
                       "[eps channel, variance channel]",
                   max_abs_diff_vs_fp32_ema=float((out - out_f32).abs().max())),
              open(os.path.join(a.out, "reference", "inputs.json"), "w"), indent=2)
    print(f"exported step {steps} EMA -> {a.out}: {n} shards, {total / 2**20:.1f} MiB, "
          f"F16-vs-F32 forward max|diff| {float((out - out_f32).abs().max()):.2e}, {time.time() - t0:.1f}s")


if __name__ == "__main__":
    main()
