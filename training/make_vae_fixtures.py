"""Parity fixtures for dit's AutoencoderKL (Sources/DiT/VAE) from diffusers itself.

Random small AutoencoderKL configs with random weights (GroupNorm affines included, so that
nothing is an identity), saved as diffusers saves them, and what diffusers computes:
  latents.npy  (N, latent, h, w)  random
  decoded.npy  vae.decode(latents / scaling_factor [+ shift_factor]).sample
  images.npy   (N, in, H, W)      random in [-1, 1]
  encoded.npy  (vae.encode(images).latent_dist.mean [- shift_factor]) * scaling_factor
One fixture is a pipeline folder (model_index.json + vae/) with sharded weights and the
pre-0.15 attention key names (query/key/value/proj_attn) of older hub checkpoints; diffusers 0.42
no longer renames those when loading, so its reference outputs come from the model in memory.

  /work/venv/bin/python training/make_vae_fixtures.py Tests/DiTTests/Fixtures/vae
"""
import json
import os
import sys

import numpy as np
import torch
from diffusers import AutoencoderKL
from safetensors.torch import save_file

CASES = {
    # name: (config, latents (N, h, w), images (N, H, W), layout)
    "kl2": (dict(block_out_channels=[8, 16], layers_per_block=1, norm_num_groups=4, latent_channels=4,
                 down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
                 scaling_factor=0.18215), (2, 5, 6), (2, 12, 10), "vae"),
    "kl3-odd": (dict(block_out_channels=[4, 8, 8], layers_per_block=2, norm_num_groups=2, latent_channels=3,
                     in_channels=2, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 3,
                     up_block_types=["UpDecoderBlock2D"] * 3, scaling_factor=0.5, shift_factor=0.1,
                     use_quant_conv=False, mid_block_add_attention=False), (1, 3, 4), (1, 13, 9), "vae"),
    "pipeline-sharded": (dict(block_out_channels=[8, 8], layers_per_block=1, norm_num_groups=8, latent_channels=4,
                              down_block_types=["DownEncoderBlock2D"] * 2, up_block_types=["UpDecoderBlock2D"] * 2,
                              scaling_factor=0.18215), (1, 4, 4), (1, 8, 8), "pipeline"),
}

DEPRECATED = {"to_q": "query", "to_k": "key", "to_v": "value", "to_out.0": "proj_attn"}


def randomise(model, gen):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith("weight"):
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=gen))
            else:
                p.copy_(0.3 * torch.randn(p.shape, generator=gen) / max(1, p[0].numel()) ** 0.5)


def save_sharded_deprecated(vae, folder):
    """Two shards + index, with the old attention names, as a pre-0.15 checkpoint would hold them."""
    vae.save_config(folder)
    sd = {}
    for k, v in vae.state_dict().items():
        for new, old in DEPRECATED.items():
            k = k.replace(f"attentions.0.{new}.", f"attentions.0.{old}.")
        sd[k] = v.contiguous()
    keys = sorted(sd)
    half = len(keys) // 2
    names = ["diffusion_pytorch_model-00001-of-00002.safetensors", "diffusion_pytorch_model-00002-of-00002.safetensors"]
    weight_map = {}
    for shard, part in zip(names, (keys[:half], keys[half:])):
        save_file({k: sd[k] for k in part}, os.path.join(folder, shard))
        weight_map.update({k: shard for k in part})
    total = sum(v.numel() * v.element_size() for v in sd.values())
    with open(os.path.join(folder, "diffusion_pytorch_model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=1)


def main(out):
    torch.set_num_threads(1)
    manifest = {}
    for i, (name, (config, (n, h, w), (N, H, W), layout)) in enumerate(CASES.items()):
        gen = torch.Generator().manual_seed(100 + i)
        vae = AutoencoderKL(**config).eval()
        randomise(vae, gen)
        root = os.path.join(out, name)
        folder = os.path.join(root, "vae") if layout == "pipeline" else root
        os.makedirs(folder, exist_ok=True)
        if layout == "pipeline":
            with open(os.path.join(root, "model_index.json"), "w") as f:
                json.dump({"_class_name": "DiTPipeline", "vae": ["diffusers", "AutoencoderKL"]}, f, indent=1)
            save_sharded_deprecated(vae, folder)
            reloaded = vae   # the same weights as the files hold under their old names
        else:
            vae.save_pretrained(folder, safe_serialization=True)
            reloaded = AutoencoderKL.from_pretrained(folder).eval()
        cfg = reloaded.config
        shift = cfg.shift_factor or 0.0
        latents = torch.randn(n, cfg.latent_channels, h, w, generator=gen)
        images = torch.rand(N, cfg.in_channels, H, W, generator=gen) * 2 - 1
        with torch.no_grad():
            decoded = reloaded.decode(latents / cfg.scaling_factor + shift).sample
            encoded = (reloaded.encode(images).latent_dist.mean - shift) * cfg.scaling_factor
        for key, t in dict(latents=latents, decoded=decoded, images=images, encoded=encoded).items():
            np.save(os.path.join(root, f"{key}.npy"), t.numpy().astype(np.float32))
        manifest[name] = dict(layout=layout, latents=list(latents.shape), decoded=list(decoded.shape),
                              images=list(images.shape), encoded=list(encoded.shape),
                              decoded_max_abs=float(decoded.abs().max()), encoded_max_abs=float(encoded.abs().max()))
    import diffusers
    manifest["_generator"] = dict(script="training/make_vae_fixtures.py", diffusers=diffusers.__version__, torch=torch.__version__)
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/DiTTests/Fixtures/vae")
