#!/usr/bin/env python3
"""Writes the seed corpus of fuzz/ (valid and broken files for each reader) into fuzz/corpus/.
Run from the repository root: python3 fuzz/make-corpus.py [session.jsonl]. The valid files are
small versions of what dit reads; the broken ones are the cases of issue 16."""
import json, os, struct, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

def put(harness, name, data):
    d = os.path.join(root, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())

# safetensors: u64 header length, JSON header, data buffer
def st(header, body, length=None):
    h = header.encode() if isinstance(header, str) else json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h) if length is None else length) + h + body

two = {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
       "b": {"dtype": "F16", "shape": [1, 2], "data_offsets": [8, 12]},
       "__metadata__": {"format": "pt"}}
put("FuzzSafeTensors", "valid", st(two, struct.pack("<2f", 1.5, -2) + b"\x00\x3c\x00\xbc"))
put("FuzzSafeTensors", "valid-bf16-f64", st({"x": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]},
                                            "y": {"dtype": "F64", "shape": [], "data_offsets": [4, 12]}}, b"\x80\x3f\x00\x40" + struct.pack("<d", 3)))
put("FuzzSafeTensors", "shape-overflow", st({"a": {"dtype": "F32", "shape": [4611686018427387904], "data_offsets": [0, 4]}}, b"\0" * 4))
put("FuzzSafeTensors", "shape-2e32x2e30", st({"a": {"dtype": "F32", "shape": [2**32, 2**30], "data_offsets": [0, 4]}}, b"\0" * 4))
put("FuzzSafeTensors", "shape-float", st('{"a":{"dtype":"F32","shape":[96.5,1],"data_offsets":[0,4]}}', b"\0" * 4))
put("FuzzSafeTensors", "shape-2e64", st('{"a":{"dtype":"F32","shape":[18446744073709551621],"data_offsets":[0,20]}}', b"\0" * 20))
put("FuzzSafeTensors", "offsets-float", st('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0.0,4.0]}}', b"\0" * 4))
put("FuzzSafeTensors", "overlap", st({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                                      "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4))
put("FuzzSafeTensors", "duplicate-key", st('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}', b"\0" * 4))
put("FuzzSafeTensors", "header-too-long", st(two, b"", length=2**63))
put("FuzzSafeTensors", "nested", st("[" * 200, b""))
put("FuzzSafeTensors", "truncated", st(two, b"\0" * 3))

# the shard index
index = {"metadata": {"total_size": 12}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
put("FuzzShardIndex", "valid", json.dumps(index))
put("FuzzShardIndex", "path-escape", json.dumps({"weight_map": {"a": "../../etc/passwd"}}))
put("FuzzShardIndex", "total-size-float", '{"metadata":{"total_size":1.5},"weight_map":{"a":"m.safetensors"}}')
put("FuzzShardIndex", "duplicate", '{"weight_map":{"a":"x.safetensors","a":"y.safetensors"}}')
put("FuzzShardIndex", "not-object", '[1, 2, {"weight_map": 3}]')

# config.json
tiny = {"input_size": 8, "patch_size": 2, "in_channels": 1, "hidden_size": 64, "depth": 2, "num_heads": 4,
        "mlp_ratio": 4.0, "num_classes": 3, "learn_sigma": True, "class_names": ["a", "b", "c"]}
put("FuzzConfig", "valid", json.dumps(tiny))
for name, field, value in [("depth-huge", "depth", 1000000000), ("input-size-huge", "input_size", 4611686018427387904),
                           ("mlp-ratio-huge", "mlp_ratio", 1e300), ("hidden-float", "hidden_size", 96.5)]:
    put("FuzzConfig", name, json.dumps(dict(tiny, **{field: value})))
put("FuzzConfig", "missing", '{"input_size": 32}')
put("FuzzConfig", "duplicate", '{"depth": 2, "depth": 3}')
vae = {"_class_name": "AutoencoderKL", "block_out_channels": [8, 16], "layers_per_block": 1, "norm_num_groups": 4,
       "latent_channels": 4, "down_block_types": ["DownEncoderBlock2D"] * 2, "up_block_types": ["UpDecoderBlock2D"] * 2}
put("FuzzConfig", "vae", json.dumps(vae))
put("FuzzConfig", "vae-groups-huge", json.dumps(dict(vae, norm_num_groups=2 ** 62)))
diffusers_dit = {"_class_name": "DiTTransformer2DModel", "num_attention_heads": 2, "attention_head_dim": 8, "in_channels": 4,
                 "out_channels": 8, "num_layers": 2, "sample_size": 8, "patch_size": 2, "num_embeds_ada_norm": 5, "norm_eps": 1e-5}
put("FuzzConfig", "diffusers-dit", json.dumps(diffusers_dit))
put("FuzzConfig", "diffusers-dit-heads-huge", json.dumps(dict(diffusers_dit, num_attention_heads=2 ** 40, attention_head_dim=2 ** 40)))

# .npy
def npy(descr, shape, body, version=1, close=True):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, %s" % (descr, shape, "}" if close else "")
    header += " " * ((64 - (len(header) + 11 + (2 if version > 1 else 0)) % 64) % 64) + "\n"
    h = header.encode("utf8" if version == 3 else "latin1")
    n = struct.pack("<H", len(h)) if version == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes([version, 0]) + n + h + body

put("FuzzNPY", "valid-f4", npy("<f4", "(2, 2)", struct.pack("<4f", 1, 2, 3, 4)))
put("FuzzNPY", "valid-v2-big-endian", npy(">f8", "(1,)", struct.pack(">d", 1), version=2))
put("FuzzNPY", "valid-v3-i2", npy("<i2", "(3,)", struct.pack("<3h", -1, 0, 1), version=3))
put("FuzzNPY", "scalar-u1", npy("|u1", "()", b"\x07"))
put("FuzzNPY", "shape-huge", npy("<f4", "(2305843009213693952, 2, 16, 16)", b"\0" * 16))
put("FuzzNPY", "no-closing-brace", npy("<f4", "(1,)", b"\0" * 4, close=False))
put("FuzzNPY", "descr-complex", npy("<c8", "(1,)", b"\0" * 8))

# session recordings
if len(sys.argv) > 1:
    with open(sys.argv[1], "rb") as f:
        session = f.read()
    put("FuzzSession", "valid", session)
    lines = session.decode().split("\n")
    put("FuzzSession", "no-footer", "\n".join(lines[:-1]))
    put("FuzzSession", "marker-k-huge", "\n".join(lines[:2] + ['{"generation":0,"k":1000000000000000,"t":0.1,"worker":"stepped"}'] + lines[2:]))
    put("FuzzSession", "steps-fraction", session.replace(b'"steps":6', b'"steps":6.5'))
    put("FuzzSession", "resize-huge", "\n".join(lines[:2] + ['{"t":1,"resize":[1000000000,1000000000]}'] + lines[2:]))
