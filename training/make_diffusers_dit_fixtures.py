"""Parity fixtures for dit's diffusers-format DiT (Sources/DiT/Model/DiffusersDiT.swift) from
diffusers' DiTTransformer2DModel itself.

Random small configs, every parameter random (the adaLN-Zero zeros too, and each block's own
timestep and class embedders different, so a model that used block 0's everywhere would fail),
saved by save_pretrained, with
  x.npy (N, C, I, I), inputs.json {t, y}, out.npy = transformer(x, t, y).sample
y includes num_classes, the null class. One case is a pipeline folder (model_index.json with
id2label + transformer/ with sharded weights).

  /work/venv/bin/python training/make_diffusers_dit_fixtures.py Tests/DiTTests/Fixtures/diffusers-dit
"""
import json
import os
import sys

import numpy as np
import torch
from diffusers import DiTTransformer2DModel

CASES = {
    # name: (config, N, t, y (None: the null class num_embeds_ada_norm), layout)
    "d2-sigma": (dict(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=2,
                      sample_size=8, patch_size=2, num_embeds_ada_norm=5, norm_eps=1e-5), [999, 37], [3, None], "bare"),
    "d3-eps": (dict(num_attention_heads=3, attention_head_dim=4, in_channels=3, num_layers=3, sample_size=8,
                    patch_size=4, num_embeds_ada_norm=7, norm_eps=1e-2), [500, 0, 250], [0, 6, None], "bare"),
    "pipeline": (dict(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8, num_layers=2,
                      sample_size=4, patch_size=2, num_embeds_ada_norm=3), [10], [1], "pipeline"),
}
ID2LABEL = {"0": "tench, Tinca tinca", "1": "golden retriever", "2": "great white shark, white shark, man-eater"}


def main(out):
    torch.set_num_threads(1)
    manifest = {}
    for i, (name, (config, t, y, layout)) in enumerate(CASES.items()):
        gen = torch.Generator().manual_seed(200 + i)
        model = DiTTransformer2DModel(**config).eval()
        with torch.no_grad():
            for p in model.parameters():
                p.copy_(0.5 * torch.randn(p.shape, generator=gen) / max(1, p[0].numel()) ** 0.5 if p.dim() > 1
                        else 0.1 * torch.randn(p.shape, generator=gen))
        root = os.path.join(out, name)
        folder = os.path.join(root, "transformer") if layout == "pipeline" else root
        os.makedirs(folder, exist_ok=True)
        if layout == "pipeline":
            with open(os.path.join(root, "model_index.json"), "w") as f:
                json.dump({"_class_name": "DiTPipeline", "id2label": ID2LABEL,
                           "transformer": ["diffusers", "DiTTransformer2DModel"]}, f, indent=1)
            model.save_pretrained(folder, safe_serialization=True, max_shard_size="20KB")
        else:
            model.save_pretrained(folder, safe_serialization=True)
        model = DiTTransformer2DModel.from_pretrained(folder).eval()
        c = model.config
        labels = [c.num_embeds_ada_norm if v is None else v for v in y]
        x = torch.randn(len(t), c.in_channels, c.sample_size, c.sample_size, generator=gen)
        with torch.no_grad():
            ref = model(x, timestep=torch.tensor(t), class_labels=torch.tensor(labels)).sample
        np.save(os.path.join(root, "x.npy"), x.numpy())
        np.save(os.path.join(root, "out.npy"), ref.numpy())
        with open(os.path.join(root, "inputs.json"), "w") as f:
            json.dump({"t": t, "y": labels}, f)
        manifest[name] = dict(layout=layout, x=list(x.shape), out=list(ref.shape), t=t, y=labels,
                              out_max_abs=float(ref.abs().max()), files=sorted(os.listdir(folder)))
    import diffusers
    manifest["_generator"] = dict(script="training/make_diffusers_dit_fixtures.py", diffusers=diffusers.__version__,
                                  torch=torch.__version__)
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/DiTTests/Fixtures/diffusers-dit")
