#!/usr/bin/env python3
"""Opens the valid live-frame vectors (docs/spec/vectors/live-frame/) with Python's hmac and the
`cryptography` package's AESGCM, from docs/spec/live-sframe-v1.md sections 2 to 5, and checks every
intermediate value. A third reader beside the SDK and IndependentLiveFrameVectorsTest; not part of
the build (it needs `pip install cryptography`). Usage: scripts/check-live-frame-vectors.py [DIR]"""
import glob, hashlib, hmac, os, struct, sys
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def extract(salt, ikm):
    return hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()


def expand(prk, info, length):
    t, out, i = b"", b"", 1
    while len(out) < length:
        t = hmac.new(prk, t + info + bytes([i]), hashlib.sha256).digest()
        out, i = out + t, i + 1
    return out[:length]


root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "docs/spec/vectors/live-frame")
n = 0
for f in sorted(glob.glob(os.path.join(folder, "*.txt"))):
    v = dict(line.rstrip("\n").split(": ", 1) for line in open(f, encoding="utf-8"))
    if v["expect"] != "valid":
        continue
    sealed, kid, ctr = bytes.fromhex(v["sealed"]), int(v["kid"]), int(v["ctr"])
    stream = v["stream"].encode("ascii")
    info = b"obscura/v1 sframe base key" + bytes([len(stream)]) + stream + struct.pack(">Q", kid)
    base = expand(extract(b"", bytes.fromhex(v["epoch_key_%d" % kid])), info, 32)
    secret = extract(b"", base)
    key = expand(secret, b"SFrame 1.0 Secret key " + struct.pack(">QH", kid, 4), 16)
    salt = expand(secret, b"SFrame 1.0 Secret salt " + struct.pack(">QH", kid, 4), 12)
    header = bytes.fromhex(v["header"])
    nonce = bytes(a ^ b for a, b in zip(salt, bytes(4) + struct.pack(">Q", ctr)))
    plaintext = AESGCM(key).decrypt(nonce, sealed[len(header):], sealed[: len(header)])
    got = (info.hex(), base.hex(), key.hex(), salt.hex(), nonce.hex(), plaintext.hex())
    want = tuple(v[k] for k in ("base_key_info", "base_key", "sframe_key", "sframe_salt", "nonce", "plaintext"))
    if got != want or not sealed.startswith(header):
        sys.exit("%s: differs" % os.path.basename(f))
    n += 1
print("%d valid live-frame vectors open with Python" % n)
sys.exit(0 if n == 8 else "expected 8 valid vectors, found %d" % n)
