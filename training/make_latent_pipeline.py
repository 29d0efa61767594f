"""A tiny latent DiT pipeline folder, laid out as the hub's facebook/DiT-XL-2-256 is, for the
explorer's latent-model screens, its tests and the tmux check (.ci/tmux-latent.sh):

  model_index.json   DiTPipeline, with id2label (the first 16 ImageNet classes, names as the hub's)
  transformer/       DiTTransformer2DModel: 8×8×4 latents, p = 2, D = 16, 2 blocks, learned σ, F16
  vae/               AutoencoderKL: latent 4, block_out_channels [8, 16, 16] (÷4), F16
  scheduler/         DDIMScheduler (dit runs its own samplers; the folder is there as on the hub)
  latents.npy        (1, 4, 8, 8) random latents, as a DiT samples them (scaled)
  decoded.npy        vae.decode(latents / scaling_factor).sample, computed by diffusers in float32
                     from the stored F16 weights

Every parameter is random (the adaLN-Zero zeros too, and the decoder's conv_out larger, so the
explorer's pictures are not flat).

  /work/venv/bin/python training/make_latent_pipeline.py Tests/DiTExplorerTests/Fixtures/latent-pipeline
"""
import json
import os
import sys

import numpy as np
import torch
from diffusers import AutoencoderKL, DDIMScheduler, DiTPipeline, DiTTransformer2DModel

# ImageNet's first 16 classes, as the hub's DiT model_index.json writes them (synonyms after commas).
ID2LABEL = {
    "0": "tench, Tinca tinca", "1": "goldfish, Carassius auratus",
    "2": "great white shark, white shark, man-eater, man-eating shark, Carcharodon carcharias",
    "3": "tiger shark, Galeocerdo cuvieri", "4": "hammerhead, hammerhead shark",
    "5": "electric ray, crampfish, numbfish, torpedo", "6": "stingray", "7": "cock", "8": "hen",
    "9": "ostrich, Struthio camelus", "10": "brambling, Fringilla montifringilla",
    "11": "goldfinch, Carduelis carduelis", "12": "house finch, linnet, Carpodacus mexicanus",
    "13": "junco, snowbird", "14": "indigo bunting, indigo finch, indigo bird, Passerina cyanea",
    "15": "robin, American robin, Turdus migratorius",
}


def randomise(model, gen):
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(0.5 * torch.randn(p.shape, generator=gen) / max(1, p[0].numel()) ** 0.5 if p.dim() > 1
                    else 0.1 * torch.randn(p.shape, generator=gen))


def main(out):
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1700)
    transformer = DiTTransformer2DModel(num_attention_heads=2, attention_head_dim=8, in_channels=4, out_channels=8,
                                        num_layers=2, sample_size=8, patch_size=2,
                                        num_embeds_ada_norm=len(ID2LABEL)).eval()
    vae = AutoencoderKL(block_out_channels=[8, 16, 16], layers_per_block=1, norm_num_groups=4, latent_channels=4,
                        down_block_types=["DownEncoderBlock2D"] * 3, up_block_types=["UpDecoderBlock2D"] * 3,
                        scaling_factor=0.18215).eval()
    randomise(transformer, gen)
    randomise(vae, gen)
    with torch.no_grad():
        vae.decoder.conv_out.weight.mul_(15)   # decoded pixels over most of [-1, 1], not a flat grey
    pipe = DiTPipeline(transformer=transformer.half(), vae=vae.half(), scheduler=DDIMScheduler())
    pipe.save_pretrained(out, safe_serialization=True)
    index_path = os.path.join(out, "model_index.json")
    with open(index_path) as f:
        index = json.load(f)
    index["id2label"] = ID2LABEL   # the hub's pipeline carries it; save_pretrained does not write it
    with open(index_path, "w") as f:
        json.dump(index, f, indent=1)

    vae32 = AutoencoderKL.from_pretrained(os.path.join(out, "vae"), torch_dtype=torch.float32).eval()
    z = torch.randn(1, 4, 8, 8, generator=gen)
    with torch.no_grad():
        x = vae32.decode(z / vae32.config.scaling_factor).sample
    np.save(os.path.join(out, "latents.npy"), z.numpy())
    np.save(os.path.join(out, "decoded.npy"), x.numpy())
    import diffusers
    manifest = dict(script="training/make_latent_pipeline.py", diffusers=diffusers.__version__, torch=torch.__version__,
                    latents=list(z.shape), decoded=list(x.shape), decoded_max_abs=float(x.abs().max()),
                    transformer_parameters=sum(p.numel() for p in transformer.parameters()),
                    vae_parameters=sum(p.numel() for p in vae.parameters()))
    with open(os.path.join(out, "MANIFEST.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(json.dumps(manifest, indent=1))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "Tests/DiTExplorerTests/Fixtures/latent-pipeline")
