"""PyTorch reference timings for `dit bench` and `dit sample` (not run by CI).

Times, on the CPU with a fixed thread count, in eager mode and (with --compile) again with
torch.compile (inductor, CPU), in the same run:
  * one DiT forward pass of batch B (a guided step of B/2 images), and
  * the sampling loop alone: DDIM with classifier-free guidance for --sample-steps steps,
    as the official sample.py runs it (model.forward_with_cfg inside ddim_sample_loop).
The compiled model is warmed up (compiled) at both batch shapes before it is timed.

With --versus 'COMMAND' (e.g. a whole `dit sample` process) and --rounds R, the command's
wall time (the whole process: start, loading, sampling, writing) is measured in turn with each
timed loop, R rounds, and the median of the per-round ratios is printed: pairs taken back to
back hold when a shared machine's speed drifts.

With --runtimes, the same model (same weights) is exported with torch.onnx.export and its
batch-B forward timed in ONNX Runtime (CPU execution provider) and OpenVINO (CPU, f32 inference
precision), each with --threads threads, after checking that their output matches eager's.

With --dit-repo pointing at a checkout of facebookresearch/DiT, the official models.py and
diffusion/ are used (they need timm). Without it, this project's training/dit_model.py and
training/diffusion.py stand in: the same modules and arithmetic, written for this project.
"""
import argparse
import os
import shlex
import statistics
import subprocess
import sys
import time

import torch

PRESETS = {"S": (12, 384, 6), "B": (12, 768, 12), "L": (24, 1024, 16), "XL": (28, 1152, 16)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dit-repo", help="checkout of facebookresearch/DiT (official models.py + diffusion/)")
    ap.add_argument("--config", default="S/2")
    ap.add_argument("--input-size", type=int, default=32)
    ap.add_argument("--in-channels", type=int, default=1)
    ap.add_argument("--num-classes", type=int, default=10)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--sample-steps", type=int, default=0)
    ap.add_argument("--compile", action="store_true", help="also time torch.compile (inductor) after eager")
    ap.add_argument("--runtimes", action="store_true", help="also time ONNX Runtime and OpenVINO (f32)")
    ap.add_argument("--versus", help="a command whose whole-process wall time is paired with each sample loop")
    ap.add_argument("--rounds", type=int, default=1, help="sample loops (each paired with --versus) per mode")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    size, p = args.config.upper().replace("DIT-", "").split("/")
    depth, hidden, heads = PRESETS[size]
    kw = dict(input_size=args.input_size, patch_size=int(p), in_channels=args.in_channels, hidden_size=hidden,
              depth=depth, num_heads=heads, num_classes=args.num_classes, learn_sigma=True)
    if args.dit_repo:
        sys.path.insert(0, args.dit_repo)
        from models import DiT  # official
        from diffusion import create_diffusion
        source = "official facebookresearch/DiT models.py"
    else:
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "training"))
        from dit_model import DiT
        from diffusion import create_diffusion
        source = "training/dit_model.py (stand-in for models.py)"
    model = DiT(**kw).eval()
    # Non-zero adaLN / final weights so the work is representative (zero-init changes nothing in cost).
    with torch.no_grad():
        for prm in model.parameters():
            if prm.requires_grad:
                prm.normal_(0, 0.02)

    B, C, I = args.batch, args.in_channels, args.input_size
    x = torch.randn(B, C, I, I)
    t = torch.tensor([(i * 397 + 500) % 1000 for i in range(B)])
    y = torch.tensor([i % args.num_classes for i in range(B)])
    n = max(1, B // 2)
    print(f"source       {source}")
    print(f"torch        {torch.__version__}, threads {torch.get_num_threads()}")

    def report(label, forward):
        for _ in range(args.warmup):
            forward()
        times = []
        for _ in range(args.iterations):
            s = time.perf_counter()
            forward()
            times.append((time.perf_counter() - s) * 1e3)
        times.sort()
        print(f"{label + ' forward':<20} {times[len(times) // 2]:.3f} ms median (min {times[0]:.3f}, max {times[-1]:.3f}) over {args.iterations} runs",
              flush=True)

    def run(label):
        with torch.inference_mode():
            report(label, lambda: model(x, t, y))
        if args.sample_steps:
            diffusion = create_diffusion(str(args.sample_steps))
            g = torch.Generator().manual_seed(1)
            z = torch.randn(n, C, I, I, generator=g)
            z = torch.cat([z, z], 0)
            yy = torch.tensor([i % args.num_classes for i in range(n)] + [args.num_classes] * n)
            ratios = []
            for r in range(args.rounds):
                with torch.inference_mode():
                    s = time.perf_counter()
                    if args.dit_repo:
                        diffusion.ddim_sample_loop(model.forward_with_cfg, z.shape, z, clip_denoised=False,
                                                   model_kwargs=dict(y=yy, cfg_scale=4.0), progress=False, device="cpu")
                    else:
                        diffusion.sample(model, z[:n], yy[:n], cfg_scale=4.0, method="ddim", clip_denoised=False)
                    secs = time.perf_counter() - s
                line = f"{label + ' sample':<20} {args.sample_steps} DDIM steps, CFG 4, {n} image(s): {secs:.3f} s ({1000 * secs / args.sample_steps:.2f} ms/step)"
                if args.versus:
                    s = time.perf_counter()
                    subprocess.run(shlex.split(args.versus), check=True, stdout=subprocess.DEVNULL)
                    other = time.perf_counter() - s
                    ratios.append(other / secs)
                    line += f"   versus: {other:.3f} s, ratio {other / secs:.3f}"
                print(line, flush=True)
            if ratios:
                print(f"{label + ' ratio':<20} versus / {label} loop: median {statistics.median(ratios):.3f} "
                      f"(min {min(ratios):.3f}, max {max(ratios):.3f}) over {len(ratios)} rounds", flush=True)

    run("eager")
    if args.runtimes:
        runtimes(model, x, t, y, args.threads, report)
    if args.compile:
        # forward_with_cfg calls self.forward: the compiled one, once it is the instance's.
        model.forward = torch.compile(model.forward)
        with torch.inference_mode():
            for batch in sorted({B, 2 * n}):  # compile for both shapes before timing
                for _ in range(2):
                    model(x[:1].repeat(batch, 1, 1, 1), t[:1].repeat(batch), y[:1].repeat(batch))
        run("compiled")


def runtimes(model, x, t, y, threads, report):
    """ONNX Runtime and OpenVINO on the same model, exported once to ONNX (fixed batch shape)."""
    import tempfile

    import numpy as np
    with torch.inference_mode():
        want = model(x, t, y).numpy()
    feeds = dict(x=x.numpy(), t=t.numpy(), y=y.numpy())
    path = os.path.join(tempfile.mkdtemp(), "dit.onnx")
    torch.onnx.export(model, (x, t, y), path, input_names=list(feeds), output_names=["out"], dynamo=False)

    def check(label, got):
        err = float(np.abs(got - want).max())
        print(f"{label + ' max |diff|':<20} {err:.2e} against eager", flush=True)
        if not err < 1e-3:
            raise SystemExit(f"{label} does not match eager: max |diff| {err}")

    try:
        import onnxruntime as ort
        so = ort.SessionOptions()
        so.intra_op_num_threads, so.inter_op_num_threads = threads, 1
        sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        check("onnxruntime", sess.run(None, feeds)[0])
        report(f"onnxruntime {ort.__version__}", lambda: sess.run(None, feeds))
    except ImportError:
        print("onnxruntime          not installed (pip install onnxruntime)")
    try:
        import openvino as ov
        compiled = ov.Core().compile_model(path, "CPU", {"INFERENCE_NUM_THREADS": threads,
                                                        "INFERENCE_PRECISION_HINT": "f32"})
        request = compiled.create_infer_request()
        check("openvino", request.infer(feeds)[compiled.output(0)])
        report(f"openvino {ov.__version__.split('-')[0]}", lambda: request.infer(feeds))
    except ImportError:
        print("openvino             not installed (pip install openvino)")


if __name__ == "__main__":
    main()
