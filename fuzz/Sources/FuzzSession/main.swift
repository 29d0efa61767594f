// A dit-session recording (JSON lines): header, entries, worker markers, footer.
import DiTExplorer
import FuzzDriver

fuzz { data in _ = try? Recording.parse(data, path: "fuzz.jsonl") }
