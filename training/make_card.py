"""Write MODEL_CARD.md for an exported model from its config.json and eval.json.

  python training/make_card.py --model assets/models/dit-s8-fashion
"""
import argparse
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def pct(v):
    return f"{v * 100:.1f} %"


def write(model_dir):
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    ev_path = os.path.join(model_dir, "eval.json")
    ev = json.load(open(ev_path)) if os.path.exists(ev_path) else None
    tr = cfg.get("training", {})
    names = cfg["class_names"]
    steps = cfg["training_steps"]
    files = sorted(f for f in os.listdir(model_dir) if f.endswith(".safetensors"))
    rel = os.path.relpath(model_dir, ROOT)
    L = []
    A = L.append
    name = os.path.basename(os.path.normpath(model_dir))
    design = cfg.get("conditioning")   # given: one of the Fig. 5 experiment's four (training/findings.py or gpu_run.sh)
    on_gpu = cfg.get("model_type", "").startswith("DiT-S/")   # the four at the paper's S size come from gpu_run.sh
    run = os.path.basename(os.path.normpath(tr.get("command", "").split("--name ")[-1].split(" ")[0])) or name
    siblings = ", ".join(f"`{name.rsplit('-' + (design or '').lower(), 1)[0]}-{d}`"
                         for d in ("adaln-zero", "adaln", "cross-attention", "in-context"))
    A(f"# {cfg.get('model_type', 'DiT-S')}{f' ({design})' if design else ''} on Fashion-MNIST (`{name}`)\n")
    A("A class-conditional Diffusion Transformer (DiT, Peebles & Xie 2023) trained from scratch on Fashion-MNIST "
      "in pixel space (no VAE): 32×32×1 images, 10 classes plus the null class for classifier-free guidance. "
      "It is small enough to run, inspect and continue training on a laptop CPU, which is what this repository's "
      "terminal explorer is for.\n")
    if design:
        A(f"**One of the paper's Fig. 5 block designs, as a real model**: the block conditions on t and y by "
          f"**{design}** (config.json `\"conditioning\": \"{design}\"`; the key names are in training/README.md). "
          f"It was trained by `training/{'gpu_run.sh' if on_gpu else 'findings.py'}` with exactly the recipe, seed, "
          f"data order and hardware of the other designs' models ({siblings}), only the block differing, for "
          f"{cfg['training_steps']} steps{'' if on_gpu else ' on the 2-core CPU'}. Its size is "
          f"**{cfg.get('model_type')}**: D {cfg['hidden_size']}, {cfg['depth']} blocks, {cfg['num_heads']} heads, "
          f"patch {cfg['patch_size']}" + ("" if on_gpu else " — smaller than the paper's DiT-S (D 384, 12 blocks), "
          "so that four designs train on two CPU cores") + ". The four's FID and accuracy against training steps "
          f"(Fig. 5 at laptop scale) are in `assets/experiments/conditioning/`; `dit compare --set designs` and "
          f"lesson 4 run them side by side.\n")
    A("## Files\n")
    A("| file | content |\n|---|---|")
    A("| `config.json` | architecture (official DiT field names), preprocessing, diffusion and training metadata |")
    A(f"| `model.safetensors.index.json` + {len(files)} shard(s) `model-0000k-of-0000N.safetensors` | "
      f"EMA weights, {cfg.get('weights_dtype', 'F16')}, official DiT state-dict key names, `pos_embed` included, "
      "each shard ≤ 16 MiB |")
    A("| `reference/` | `x.npy` (2,1,32,32), `inputs.json` (t = [500, 37], y = [3, 10], 10 = null class), "
      "`out.npy` (2,2,32,32) = forward of the exported weights converted to float32 (PyTorch) |")
    A("| `eval.json` | all measured numbers quoted below |")
    A("| `samples_cfg4.png`, `loss.png` | sample grid and training curve |\n")
    A("## Model\n")
    A("| | |\n|---|---|")
    for k in ("input_size", "patch_size", "in_channels", "hidden_size", "depth", "num_heads", "mlp_ratio",
              "num_classes", "learn_sigma"):
        A(f"| {k} | {cfg[k]} |")
    grid = cfg["input_size"] // cfg["patch_size"]
    A(f"| tokens | {grid}×{grid} = {grid * grid} |")
    A("| output | 2 channels: ε prediction and the learned-range variance interpolation v ∈ [-1, 1] |\n")
    A("Diffusion: 1000 steps, linear β from 1e-4 to 0.02, ε-prediction, learned-range variance "
      "(log σ² = f·log β_t + (1−f)·log β̃_t, f = (v+1)/2), as in DiT / improved DDPM.\n")
    A("## Data\n")
    A("Fashion-MNIST training set (60,000 images, 28×28 greyscale, 10 classes: " + ", ".join(names) + "). "
      "Preprocessing: x/127.5 − 1 (range [-1, 1]), padded by 2 pixels on each side with the background value "
      "−1 to 32×32. Random horizontal flips during training (as in DiT). "
      "Model outputs are 32×32; crop the central 28×28 to get back to the source geometry.\n")
    A("## Training recipe\n")
    A(f"- Loss: hybrid loss of DiT/improved DDPM, MSE on ε + VLB term (bits/dim; the VLB sees a detached ε so it "
      f"trains only the variance; discretized-Gaussian decoder NLL at t = 0); t uniform in [0, 999].")
    A(f"- Class dropout 10 % (label → null class 10) for classifier-free guidance.")
    lr_txt = f"lr {tr.get('lr', 1e-4)}"
    if tr.get("lr_schedule"):
        lr_txt = "lr " + ", then ".join(f"{lr:g} from step {s_}" for s_, lr in tr["lr_schedule"]) + \
            " (changed on `--resume --lr`)"
    warm = f" (linear warm-up over {tr['warmup_steps']} steps)" if tr.get("warmup_steps") else ""
    A(f"- AdamW, {lr_txt}{warm}, weight decay 0, batch {tr.get('batch_size', 128)}, "
      f"{tr.get('precision', 'fp32')} autocast.")
    A(f"- EMA of the weights, decay min({tr.get('ema_decay', 0.999)}, (1+step)/(10+step)); the shipped weights "
      f"are the EMA.")
    A(f"- Steps: **{steps}** (≈ {steps * tr.get('batch_size', 128) / 60000:.1f} epochs), "
      f"training wall time {tr.get('train_seconds', 0) / 60:.0f} min{' in its last leg' if tr.get('init_from') else ''} "
      f"on {tr.get('hardware', 'CPU')}.")
    for leg in tr.get("legs") or []:
        A(f"  - steps {leg['steps'][0]}–{leg['steps'][1]}: {leg.get('note', '')}")
    if tr.get("init_from"):
        A(f"- Initialised from `{tr['init_from'].get('path')}` ({tr['init_from'].get('steps')} prior steps); "
          f"{tr.get('steps_this_run')} steps in this run.")
    A(f"- Seed {tr.get('seed', 0)}; checkpoint taken {tr.get('checkpoint_time_utc', '?')}.\n")
    if design:
        A("Reproduce (from the repository root, with `pip install -r training/requirements.txt`):\n")
        A("```sh")
        if on_gpu:
            A("bash training/gpu_run.sh     # on one CUDA GPU: the four designs, S/4 and S/2 side by side, then export and evaluation")
        else:
            results = os.path.join(ROOT, "assets", "experiments", "findings.json")
            if os.path.exists(results):   # the experiment's own commands, both legs when it had two
                import findings_report
                A(findings_report.reproduce(json.load(open(results))))
            else:
                A(f"nice -n 19 python training/findings.py --steps {steps}   # resumable; every run round-robin")
            runs = "training/runs/leg2" if tr.get("init_from") else "training/runs"
            A(f"python training/export.py --run {runs}/{run} --out {rel}")
            A(f"python training/evaluate.py --model {rel} --run {runs}/{run}")
        A("```\n")
        A(f"(Each chunk of that run is `{tr.get('command', '')} --resume --device {'cuda' if on_gpu else 'cpu'}`; "
          f"resuming restores the data order, the random state and the optimiser, so the chunks make one run.)\n")
    else:
        A("Reproduce (from the repository root, with `pip install -r training/requirements.txt`). On one CUDA GPU, "
          "`MINUTES=15 bash training/train_gpu.sh` trains DiT-S/2, S/4 and S/8 side by side, then the classifier, "
          "then exports and evaluates each. The legs of this model's run, one command each:\n")
        A("```sh")
        legs = tr.get("legs") or [dict(steps=[0, tr.get("steps_this_run", steps)], command=tr.get("command", ""))]
        for leg in legs:
            A(leg["command"] + " --device cuda")
        A(f"python training/export.py --run training/runs/{name} --out {rel}")
        A(f"python training/classifier.py   # once: the evaluation classifier")
        A(f"python training/evaluate.py --model {rel} --run training/runs/{name} --device cuda")
        A("```\n")
        A("(The legs were bounded by wall time with `--minutes`; `--steps` with the step counts above replays the "
          "same data order and noise. Bit-exactness across GPUs, drivers and torch versions is not guaranteed. "
          "Without `--device cuda` the same commands run on a CPU, but hours instead of minutes: a 2-core CPU trains "
          "DiT-S/8 at 7–50 images/s against ≈ 5,000 on the GPU.)\n")
    A("![training loss](loss.png)\n")
    if ev and ev.get("loss"):
        fl = ev["loss"]["final_100_step_mean"]
        A(f"Mean of the last 100 rows of `loss.csv` (each row is the mean over one logging interval): loss {fl['loss']:.4f}, mse {fl['mse']:.4f}, vb {fl['vb']:.4f}.\n")
    A("## Samples\n")
    g = (ev or {}).get("grid", {"file": "samples_cfg4.png", "cfg": 4})
    st = (ev or {}).get("sampler", {}).get("steps", 50)
    A(f"![samples, CFG {g['cfg']:g}]({g['file']})\n")
    A(f"One row per class (top to bottom: {', '.join(names)}), {st} DDIM steps (η = 0, x₀ clipped to [-1, 1]), "
      f"classifier-free guidance scale {g['cfg']:g}, fixed noise seeds (the first 10 evaluation samples of each "
      f"class, see `eval.json`).\n")
    if ev:
        A("## Measured quality\n")
        cl = ev["classifier"]
        sm = ev["sampler"]
        A(f"A small CNN trained on the real Fashion-MNIST training set (`training/classifier.py`, "
          f"test accuracy on real images **{pct(cl['real_test_accuracy'])}**) classifies "
          f"{sm['samples_per_class']} generated samples per class "
          f"({sm['samples_per_class'] * len(names)} in all, {sm['method']} {sm['steps']} steps, noise seed "
          f"{sm['noise_seed']}, the same noise for every guidance scale). Accuracy = fraction classified as the "
          f"class they were conditioned on.\n")
        scales = list(ev["cfg"].keys())
        A("| class | " + " | ".join(f"CFG {s}" for s in scales) + " |")
        A("|---|" + "---|" * len(scales))
        A("| **all** | " + " | ".join(f"**{pct(ev['cfg'][s]['accuracy'])}**" for s in scales) + " |")
        for n in names:
            A(f"| {n} | " + " | ".join(pct(ev["cfg"][s]["per_class_accuracy"][n]) for s in scales) + " |")
        A("")
        A("Per-class pixel mean / std in model space ([-1, 1], 32×32 incl. padding), real test set vs generated:\n")
        A("| class | real | " + " | ".join(f"CFG {s}" for s in scales) + " |")
        A("|---|---|" + "---|" * len(scales))
        for n in names:
            r = ev["real_test_pixel_stats"][n]
            A(f"| {n} | {r['mean']:.3f} / {r['std']:.3f} | " +
              " | ".join(f"{ev['cfg'][s]['pixel_stats'][n]['mean']:.3f} / {ev['cfg'][s]['pixel_stats'][n]['std']:.3f}"
                         for s in scales) + " |")
        A("")
        A(f"Sampling time on {ev.get('eval_hardware', 'CPU')}: " +
          ", ".join(f"CFG {s}: {ev['cfg'][s]['seconds']:.0f} s for {ev['cfg'][s]['model_evals']} image-evaluations"
                    for s in scales) + ".\n")
    runs = (ev or {}).get("dit_eval", [])
    if runs:
        A("## Measured by `dit eval` (the Swift program)\n")
        A("`dit eval` samples in Swift, scores the samples with the same classifier run in Swift (its weights in "
          "`assets/models/fashion-classifier`) and computes the FID of its 128-d penultimate features against the "
          "real test set's statistics (all 10,000 images), with the matrix square root from LAPACK's symmetric "
          "eigendecomposition. Its noise comes from dit's own generator (seed below), not PyTorch's, so the samples "
          "differ from the Python evaluation's; the accuracy is comparable, the Python evaluation has no FID. "
          "*Python check*: the same samples (`--output`) rescored by `training/score_samples.py` (the PyTorch "
          "classifier, scipy.linalg.sqrtm).\n")
        A("| sampler | steps | CFG | N | accuracy | FID (floor) | Python evaluation's accuracy | Python check: Δ accuracy, Δ FID |")
        A("|---|---|---|---|---|---|---|---|")
        for r in runs:
            py = ev.get("cfg", {}).get(f"{r['cfg']:g}", {}).get("accuracy") if r["sampler"] == "ddim" and r["steps"] == 50 else None
            chk = r.get("python_check")
            chk_txt = f"{chk['accuracy_difference']:+.4f}, {100 * chk['fid_relative_difference']:+.4f} %" if chk else "–"
            A(f"| {r['sampler']}{' Karras' if r.get('karras') else ''}{' thresholding' if r.get('thresholding') else ''} | "
              f"{r['steps']} | {r['cfg']:g} | {r['samples']} | {pct(r['accuracy'])} | {r['fid']:.2f} ({r['fid_floor']:.2f}) | "
              f"{pct(py) if py is not None else '–'} | {chk_txt} |")
        A("")
        A("Commands: " + "; ".join(f"`{r['command']}`" for r in runs) + ".\n")
    A("## Continue training from the shipped weights\n")
    A("```sh")
    A(f"python training/train.py --name {name}-cont --patch {cfg['patch_size']} --init-from {rel} --minutes 60 "
      f"--batch {tr.get('batch_size', 128)} --lr {tr.get('lr', 1e-4):g} --ema-decay {tr.get('ema_decay', 0.999)}")
    A(f"python training/export.py --run training/runs/{name}-cont --out {rel}")
    A("```\n")
    A("`--init-from` loads the shipped EMA weights into both the model and its EMA (fresh AdamW state); the "
      "exported `training_steps` then counts the prior steps too. An interrupted run continues exactly with "
      "`--resume` (model, EMA, optimizer, data order and RNG states are checkpointed every `--ckpt-every` steps "
      "to `training/runs/<name>/ckpt.pt`).\n")
    A("## Limitations\n")
    prior = tr.get("init_from") or {}
    spent = (f"{(tr.get('train_seconds', 0) + prior['train_seconds']) / 60:.0f} min over both legs" if "train_seconds" in prior
             else f"{tr.get('train_seconds', 0) / 60:.0f} min{' in its last leg' if prior else ''}")
    A(f"A small compute budget ({spent} on {'the 2-core CPU' if design else 'one GPU'}, {steps} steps of batch "
      f"{tr.get('batch_size', 128)}, ≈ {steps * tr.get('batch_size', 128) / 60000:.0f} epochs). "
      + ("The FID above is on the classifier's features, not Inception's: it ranks models of this data set, it is "
         "not comparable with ImageNet FIDs. The FID, " if runs else "No FID is reported; ") +
      "the classifier accuracy and pixel statistics above are the quality measures, and the classifier itself "
      "is imperfect (its per-class test accuracy is in `eval.json`; Shirt is its weakest class on real images "
      "too). Trained on 32×32 padded images only; unguided samples (CFG 1) are recognised far less often than "
      "guided ones.\n")
    A("## Licence and citations\n")
    A("Dataset: Fashion-MNIST, © Zalando SE (Zalando Research), MIT licence "
      "(https://github.com/zalandoresearch/fashion-mnist).\n")
    A("- Han Xiao, Kashif Rasul, Roland Vollgraf. *Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine "
      "Learning Algorithms.* arXiv:1708.07747, 2017.")
    A("- William Peebles, Saining Xie. *Scalable Diffusion Models with Transformers.* ICCV 2023, arXiv:2212.09748.")
    A("- Alex Nichol, Prafulla Dhariwal. *Improved Denoising Diffusion Probabilistic Models.* ICML 2021, "
      "arXiv:2102.09672 (learned-range variance, hybrid loss, timestep respacing).")
    A("- Jiaming Song, Chenlin Meng, Stefano Ermon. *Denoising Diffusion Implicit Models.* ICLR 2021, "
      "arXiv:2010.02502.")
    A("- Jonathan Ho, Tim Salimans. *Classifier-Free Diffusion Guidance.* 2022, arXiv:2207.12598.\n")
    A("The training code in `training/` is an independent implementation written for this project (verified "
      "against fixtures produced by the official DiT code); it contains no code from facebookresearch/DiT.")
    path = os.path.join(model_dir, "MODEL_CARD.md")
    open(path, "w").write("\n".join(L) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--model", nargs="+", default=[os.path.join(ROOT, "assets", "models", "dit-s8-fashion")])
    for m in p.parse_args().model:
        write(m)
