// model.safetensors.index.json: weight_map and metadata.total_size.
import DiT
import FuzzDriver

fuzz { data in _ = (try? ShardIndex(data: data, path: "fuzz.index.json"))?.shards }
