"""Train a DiT on Fashion-MNIST (32x32, 1 channel, 10 classes), on a CPU or a CUDA GPU.

The shipped models and the commands that made them: see training/README.md.

Scale-out as the official train.py: `torchrun --nproc_per_node N training/train.py ...` runs
DistributedDataParallel (gloo on a CPU, NCCL on GPUs). --batch stays the global batch: every process
draws the whole batch's data order, flips, t, noise and label drops from the same seeded generators, in
the order one process does, and trains on its 1/N slice; the gradients are averaged, so N processes
give one process's results up to float tolerance.
"""
import argparse
import csv
import json
import os
import random
import signal
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
from diffusion import create_diffusion  # noqa: E402
from dit_model import CONDITIONINGS, build, dit_s_fashion  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def parse():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--name", default=None, help="run directory under training/runs/ (default dit-s<p>-fashion)")
    p.add_argument("--patch", type=int, choices=[2, 4, 8], default=8, help="patch size p of DiT-S/p")
    p.add_argument("--conditioning", choices=CONDITIONINGS, default=None,
                   help="block design (Fig. 5); given, the global RNG is reseeded after the models are built so "
                        "every design sees the same t and noise draws as well as the same data order")
    p.add_argument("--hidden", type=int, default=384, help="width D (384: DiT-S)")
    p.add_argument("--depth", type=int, default=12, help="number of DiT blocks (12: DiT-S)")
    p.add_argument("--heads", type=int, default=6, help="attention heads (6: DiT-S)")
    p.add_argument("--device", default="auto", help="cpu, cuda or auto (cuda when available)")
    p.add_argument("--warmup", type=int, default=0, help="linear learning-rate warm-up over this many steps")
    p.add_argument("--runs-dir", default=os.path.join(HERE, "runs"))
    p.add_argument("--steps", type=int, default=0, help="stop at this global step (0 = no limit)")
    p.add_argument("--minutes", type=float, default=0, help="stop after this much wall time in this invocation")
    p.add_argument("--resume", action="store_true", help="continue from runs/<name>/ckpt.pt")
    p.add_argument("--init-from", default=None, help="shipped model dir (safetensors + config.json): start from its weights")
    p.add_argument("--decay-start", type=int, default=0,
                   help="from this step (prior steps counted) the learning rate falls linearly ...")
    p.add_argument("--decay-end", type=int, default=0, help="... to 0 at this step (0 = constant)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--ema-decay", type=float, default=0.999)
    p.add_argument("--precision", choices=["bf16", "fp32"], default=None,
                   help="autocast dtype (default: bf16 on CUDA, fp32 on CPU, where bf16 is >10x slower without "
                        "native bf16, e.g. AVX2-only)")
    p.add_argument("--hflip", type=int, default=1, help="random horizontal flip augmentation (as DiT)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ckpt-every", type=int, default=200)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--ema-every", type=int, default=0,
                   help="also keep the EMA weights every N steps as ema-<step>.pt (export.py --step picks one)")
    a = p.parse_args()
    check_decay(p, a)
    a.name = a.name or f"dit-s{a.patch}-fashion"
    if a.device == "auto":
        a.device = "cuda" if torch.cuda.is_available() else "cpu"
    a.precision = a.precision or ("bf16" if a.device.startswith("cuda") else "fp32")
    return a


def check_decay(parser, a):
    """--decay-start/--decay-end: a span of steps the lr falls over (0 ≤ start < end), or no decay."""
    if a.decay_end and not 0 <= a.decay_start < a.decay_end:
        parser.error(f"--decay-start {a.decay_start} and --decay-end {a.decay_end}: expected 0 <= start < end")


def hardware(device):
    if device.startswith("cuda"):
        return f"{torch.cuda.get_device_name(device)} (CUDA), torch {torch.__version__}"
    return f"x86-64 CPU, {torch.get_num_threads()} threads, torch {torch.__version__}"


def load_safetensors_dir(path):
    from safetensors.torch import load_file
    idx = os.path.join(path, "model.safetensors.index.json")
    sd = {}
    if os.path.exists(idx):
        files = sorted(set(json.load(open(idx))["weight_map"].values()))
        for f in files:
            sd.update(load_file(os.path.join(path, f)))
    else:
        sd = load_file(os.path.join(path, "model.safetensors"))
    return {k: v.float() for k, v in sd.items()}


def atomic_save(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


@torch.no_grad()
def ema_update(ema_params, params, decay):
    torch._foreach_mul_(ema_params, decay)
    torch._foreach_add_(ema_params, params, alpha=1 - decay)


def init_distributed(device):
    """(rank, world size) under torchrun, (0, 1) otherwise."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1
    import torch.distributed as dist
    dist.init_process_group("nccl" if device.startswith("cuda") else "gloo")
    return dist.get_rank(), world


def main():
    args = parse()
    torch.set_num_threads(args.threads)
    rank, world = init_distributed(args.device)
    if args.batch % world:
        raise SystemExit(f"--batch {args.batch} is not a multiple of the {world} processes")
    if world > 1 and args.device.startswith("cuda"):
        args.device = f"cuda:{int(os.environ.get('LOCAL_RANK', rank))}"
    run_dir = os.path.join(args.runs_dir, args.name)
    os.makedirs(run_dir, exist_ok=True)
    ckpt_path = os.path.join(run_dir, "ckpt.pt")
    csv_path = os.path.join(run_dir, "loss.csv")

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)

    dev = torch.device(args.device)
    if dev.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    config = dit_s_fashion(args.patch, args.conditioning, args.hidden, args.depth, args.heads)
    model = build(config, class_dropout_prob=0.1).to(dev)
    net = model  # what the loss calls: the model, or its DistributedDataParallel wrapper
    ema = build(config, class_dropout_prob=0.1).to(dev)
    if args.conditioning is not None:
        torch.manual_seed(args.seed + 1)  # the designs differ in parameter count: same draws from here on
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0, fused=(dev.type == "cuda"))
    diffusion = create_diffusion(None, learn_sigma=config["learn_sigma"])
    x_all, y_all = data.load("train")
    x_all, y_all = x_all.to(dev), y_all.to(dev)  # the whole set fits (60000x32x32 floats = 246 MB)
    n = x_all.shape[0]
    gen = torch.Generator().manual_seed(args.seed)

    step, prior_steps, wall_total, epoch, pos, perm = 0, 0, 0.0, 0, 0, None
    meta = dict(config=config, args=vars(args), init_from=None, hardware=hardware(args.device))
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, map_location=dev, weights_only=False)
        model.load_state_dict(ck["model"])
        ema.load_state_dict(ck["ema"])
        opt.load_state_dict(ck["opt"])
        step, wall_total = ck["step"], ck["wall_seconds"]
        prior_steps = ck.get("prior_steps", 0)
        epoch, pos, perm = ck["epoch"], ck["pos"], ck["perm"]
        torch.set_rng_state(ck["rng"]["torch"].cpu())
        if dev.type == "cuda" and ck["rng"].get("cuda") is not None:
            torch.cuda.set_rng_state(ck["rng"]["cuda"].cpu(), dev)
        gen.set_state(ck["rng"]["gen"].cpu())
        np.random.set_state(ck["rng"]["numpy"])
        random.setstate(ck["rng"]["python"])
        meta = ck.get("meta", meta)
        meta["args_resume"] = vars(args)
        if not args.decay_end and step >= args.warmup and any(abs(g["lr"] - args.lr) > 1e-12 for g in opt.param_groups):
            sched = meta.setdefault("lr_schedule", [[0, meta["args"]["lr"]]])
            print(f"learning rate {opt.param_groups[0]['lr']:g} -> {args.lr:g} from step {step}", flush=True)
            for g in opt.param_groups:
                g["lr"] = args.lr
            sched.append([step, args.lr])
        print(f"resumed from {ckpt_path} at step {step} ({wall_total/60:.1f} min so far)", flush=True)
        # drop loss rows written after the checkpoint
        if rank == 0 and os.path.exists(csv_path):
            rows = list(csv.reader(open(csv_path)))
            keep = [rows[0]] + [r for r in rows[1:] if int(r[0]) <= step]
            with open(csv_path, "w", newline="") as f:
                csv.writer(f).writerows(keep)
    else:
        if args.init_from:
            sd = load_safetensors_dir(args.init_from)
            model.load_state_dict(sd)
            cfg_prev = json.load(open(os.path.join(args.init_from, "config.json")))
            prior_steps = int(cfg_prev.get("training_steps", 0))
            meta["init_from"] = dict(path=os.path.relpath(os.path.abspath(args.init_from), os.path.dirname(HERE)),
                                     steps=prior_steps)
            if "train_seconds" in cfg_prev.get("training", {}):
                meta["init_from"]["train_seconds"] = cfg_prev["training"]["train_seconds"]
            print(f"initialised from {args.init_from} ({prior_steps} prior steps)", flush=True)
        ema.load_state_dict(model.state_dict())
        with open(csv_path if rank == 0 else os.devnull, "w", newline="") as f:
            csv.writer(f).writerow(["step", "loss", "mse", "vb", "img_per_s", "elapsed_s"])
    ema.eval()
    for p_ in ema.parameters():
        p_.requires_grad_(False)
    model.train()
    params = [p_ for p_ in model.parameters() if p_.requires_grad]
    ema_params = [dict(ema.named_parameters())[k] for k, p_ in model.named_parameters() if p_.requires_grad]
    nparams = sum(p_.numel() for p_ in params)
    if world > 1:
        from torch.nn.parallel import DistributedDataParallel
        net = DistributedDataParallel(model, device_ids=[dev.index] if dev.type == "cuda" else None)
    lo, hi = rank * args.batch // world, (rank + 1) * args.batch // world  # this process's slice of a batch
    log = print if rank == 0 else (lambda *a_, **k_: None)
    log(f"DiT D {args.hidden} × {args.depth} blocks, p {args.patch} ({config.get('conditioning', 'adaLN-Zero')}) {nparams/1e6:.2f}M trainable params, batch {args.batch}, lr {args.lr} "
          f"(warm-up {args.warmup}), EMA {args.ema_decay}, {args.precision} on {meta['hardware']}, "
          f"{n} training images" + (f", {world} processes" if world > 1 else ""), flush=True)

    def save():
        if rank != 0:
            return
        atomic_save(dict(model=model.state_dict(), ema=ema.state_dict(), opt=opt.state_dict(), step=step,
                         prior_steps=prior_steps, wall_seconds=wall_total, epoch=epoch, pos=pos, perm=perm,
                         rng=dict(torch=torch.get_rng_state(), gen=gen.get_state(), numpy=np.random.get_state(),
                                  python=random.getstate(),
                                  cuda=torch.cuda.get_rng_state(dev) if dev.type == "cuda" else None),
                         meta=meta, config=config, time=time.time()), ckpt_path)

    stop = {"signal": None}

    def on_signal(signum, frame):  # graceful stop: finish the step, save the checkpoint, exit
        stop["signal"] = signum
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stop_file = os.path.join(run_dir, "STOP")

    t_start = time.time()
    t_last, acc, n_acc = time.time(), torch.zeros(3, device=dev), 0
    csv_f = open(csv_path if rank == 0 else os.devnull, "a", newline="")
    writer = csv.writer(csv_f)
    dtype = torch.bfloat16 if args.precision == "bf16" else torch.float32
    def agree(flag):  # every process stops at the same step
        if world == 1:
            return flag
        import torch.distributed as dist
        f = torch.tensor([int(flag)], device=dev)
        dist.all_reduce(f, op=dist.ReduceOp.MAX)
        return bool(f.item())

    while True:
        if args.steps and step >= args.steps:
            break
        if agree(args.minutes and time.time() - t_start >= args.minutes * 60):
            break
        if agree(stop["signal"] is not None or os.path.exists(stop_file)):
            log(f"stop requested ({'signal %d' % stop['signal'] if stop['signal'] else stop_file})", flush=True)
            if rank == 0 and os.path.exists(stop_file):
                os.remove(stop_file)
            break
        if perm is None or pos + args.batch > n:
            perm = torch.randperm(n, generator=gen)
            pos = 0
            epoch += 1 if step > 0 else 0
        idx = perm[pos: pos + args.batch].to(dev)
        pos += args.batch
        x = x_all[idx]
        y = y_all[idx]
        if args.hflip:
            flip = (torch.rand(x.shape[0], generator=gen) < 0.5).to(dev)
            x = torch.where(flip[:, None, None, None], x.flip(-1), x)
        # The whole batch's draws, in the order one process makes them (t, then the noise and label
        # drops the loss and the model would draw): a slice of them is this process's share.
        t = torch.randint(0, diffusion.num_timesteps, (x.shape[0],)).to(dev)
        noise = torch.randn(x.shape, device=dev)                            # B, 1, 32, 32
        drop = torch.rand(x.shape[0], device=dev) < model.y_embedder.dropout_prob  # B
        t0 = time.time()
        if args.warmup and step < args.warmup:
            for g in opt.param_groups:
                g["lr"] = args.lr * (step + 1) / args.warmup
        elif args.decay_end and prior_steps + step >= args.decay_start:  # warm-up, stable, linear decay
            for g in opt.param_groups:
                g["lr"] = args.lr * max(0.0, args.decay_end - prior_steps - step) / (args.decay_end - args.decay_start)
        with torch.autocast(dev.type, dtype=dtype, enabled=(dtype != torch.float32)):
            losses = diffusion.training_losses(net, x[lo:hi], t[lo:hi], y[lo:hi], noise=noise[lo:hi],
                                               model_kwargs=dict(force_drop_ids=drop[lo:hi]))
        loss = losses["loss"].mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        decay = min(args.ema_decay, (1 + step) / (10 + step))
        ema_update(ema_params, params, decay)
        # the losses stay on the device until a log line: a .item() per step would sync the GPU
        acc += torch.stack([loss.detach(), losses["mse"].mean().detach(), losses["vb"].mean().detach()])
        n_acc += 1
        if dev.type == "cpu":
            wall_total += time.time() - t0
        if step % args.log_every == 0:
            if world > 1:
                import torch.distributed as dist
                dist.all_reduce(acc)
                acc /= world
            m = (acc / n_acc).tolist()
            now = time.time()
            if dev.type != "cpu":  # asynchronous: count the whole interval
                wall_total += now - t_last
            ips = n_acc * args.batch / (now - t_last)
            # one row per log interval: the mean of its steps
            writer.writerow([step, f"{m[0]:.5f}", f"{m[1]:.5f}", f"{m[2]:.5f}", f"{ips:.1f}", f"{wall_total:.1f}"])
            log(f"step {step:6d} loss {m[0]:.4f} mse {m[1]:.4f} vb {m[2]:.4f} {ips:6.1f} img/s "
                  f"elapsed {(now - t_start)/60:6.1f} min (train {wall_total/60:.1f} min) ema_decay {decay:.4f}",
                  flush=True)
            csv_f.flush()
            t_last, n_acc = now, 0
            acc.zero_()
        if step % args.ckpt_every == 0:
            csv_f.flush()
            save()
        if args.ema_every and step % args.ema_every == 0 and rank == 0:
            atomic_save(dict(ema=ema.state_dict(), config=config, step=step, prior_steps=prior_steps,
                             wall_seconds=wall_total, meta=meta, time=time.time()),
                        os.path.join(run_dir, f"ema-{step}.pt"))
    csv_f.flush()
    save()
    log(f"done: step {step}, saved {ckpt_path}", flush=True)
    if world > 1:
        import torch.distributed as dist
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
