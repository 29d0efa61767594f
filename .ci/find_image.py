# Screenshot checks for .ci/xterm-sixel.sh and .ci/kitty-graphics.sh: where a k-times
# enlargement of a grey image (bytes, row-major) sits in a screenshot, every pixel within tol.
import struct
from PIL import Image


def load(shot):
    s = Image.open(shot).convert("RGB")
    return s.size, s.load()


def matches(px, img, w, h, k, x0, y0, tol):
    return all(max(abs(c - img[(y // k) * w + x // k]) for c in px[x0 + x, y0 + y]) <= tol
               for y in range(k * h) for x in range(k * w))


def find(shot, img, w, h, tol=2, zooms=range(40, 0, -1)):
    (W, H), px = load(shot)
    for k in zooms:
        if k * w > W or k * h > H: continue
        for y0 in range(0, H - k * h + 1):
            for x0 in range(0, W - k * w + 1):
                if abs(px[x0, y0][0] - img[0]) > tol: continue
                if all(abs(px[x0 + k * x + k // 2, y0 + k * y + k // 2][0] - img[y * w + x]) <= tol for y in range(0, h, 3) for x in range(0, w, 3)):
                    if matches(px, img, w, h, k, x0, y0, tol): return k, x0, y0
    return None


def at(shot, img, w, h, k, x0, y0, tol=2):
    """Whether the enlargement is exactly there."""
    (W, H), px = load(shot)
    return x0 + k * w <= W and y0 + k * h <= H and matches(px, img, w, h, k, x0, y0, tol)


def card():
    """The 32 × 32 test card: bytes (11·x + 29·y) mod 256."""
    return [(11 * x + 29 * y) % 256 for y in range(32) for x in range(32)]


def write_card(path):
    h, w = 32, 32
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, %d, %d), }" % (h, w)
    header += " " * (63 - (len(header) + 10) % 64) + "\n"
    data = b"".join(struct.pack("<f", v / 127.5 - 1) for v in card())
    open(path, "wb").write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data)


def last_x0(npy):
    """x̂0 of the last step of an exported trajectory (…, 1, 32, 32) in [-1, 1], as bytes."""
    raw = open(npy, "rb").read()
    hl = struct.unpack("<H", raw[8:10])[0]; body = raw[10 + hl:]
    n = len(body) // 4; vals = struct.unpack("<%df" % n, body)
    return [max(0, min(255, int((v + 1) * 127.5 + 0.5))) for v in vals[n - 32 * 32:]]


if __name__ == "__main__":   # find_image.py card SHOT WHAT: dit view's test card must be in SHOT
    import sys
    _, what, shot, name = sys.argv
    hit = find(shot, card(), 32, 32)
    if not hit: print("FAIL: dit view's %s image is not in the screenshot" % name); sys.exit(1)
    print("ok: dit view drew the 32×32 card at %d× at (%d, %d) px, every pixel within 2 of its value" % hit)
