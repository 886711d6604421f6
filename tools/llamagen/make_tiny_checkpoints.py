#!/usr/bin/python3
"""Writes the tiny LlamaGen-format checkpoints the importer's tests read (run once; CI needs no Python).

    /usr/bin/python3 tools/llamagen/make_tiny_checkpoints.py gpu-worker/src/test/resources/llamagen

Needs PyTorch (Debian: apt-get install python3-torch). Outputs, with seeded random weights under the
state-dict names of LlamaGen's gpt.py (c2i GPT) and vq_model.py (VQModel):
  gpt_tiny.pt   {"model": state dict in bfloat16, "steps": 7, "args": Namespace(...)}
  vq_tiny.pt    {"model": state dict in float16}
  vq_tiny_golden.json  codes and the decoder's output for them, computed here with torch.nn.functional
                       (conv2d, group_norm, interpolate, softmax) on the float16 weights widened to float32.
"""
import argparse
import json
import sys

import torch
import torch.nn.functional as F

torch.manual_seed(0)

# --- GPT (c2i): dim 32, 2 layers, vocab 64, 3 classes (+1 null row), SwiGLU hidden 256 -------------
DIM, LAYERS, VOCAB, CLASSES, FFN = 32, 2, 64, 3, 256


def gpt_state_dict():
    sd = {
        "tok_embeddings.weight": torch.randn(VOCAB, DIM) * 0.5,
        "cls_embedding.embedding_table.weight": torch.randn(CLASSES + 1, DIM) * 0.5,
    }
    for i in range(LAYERS):
        p = f"layers.{i}."
        sd[p + "attention.wqkv.weight"] = torch.randn(3 * DIM, DIM) * 0.2
        sd[p + "attention.wo.weight"] = torch.randn(DIM, DIM) * 0.2
        sd[p + "feed_forward.w1.weight"] = torch.randn(FFN, DIM) * 0.2
        sd[p + "feed_forward.w3.weight"] = torch.randn(FFN, DIM) * 0.2
        sd[p + "feed_forward.w2.weight"] = torch.randn(DIM, FFN) * 0.1
        sd[p + "attention_norm.weight"] = 1 + 0.1 * torch.randn(DIM)
        sd[p + "ffn_norm.weight"] = 1 + 0.1 * torch.randn(DIM)
    sd["norm.weight"] = 1 + 0.1 * torch.randn(DIM)
    sd["output.weight"] = torch.randn(VOCAB, DIM) * 0.2
    return {k: v.to(torch.bfloat16) for k, v in sd.items()}


# --- VQ: codebook 64 x 4, z 8, ch 32, ch_mult (1, 1) (2x up-sampling), 1 res block ------------------
K, E, Z, CH, MULT, NRES = VOCAB, 4, 8, 32, (1, 1), 1


def conv(sd, name, cout, cin, k):
    sd[name + ".weight"] = torch.randn(cout, cin, k, k) * (1.5 / (cin * k * k) ** 0.5)
    sd[name + ".bias"] = torch.randn(cout) * 0.1


def norm(sd, name, c):
    sd[name + ".weight"] = 1 + 0.2 * torch.randn(c)
    sd[name + ".bias"] = 0.2 * torch.randn(c)


def res(sd, p, cin, cout):
    norm(sd, p + ".norm1", cin)
    conv(sd, p + ".conv1", cout, cin, 3)
    norm(sd, p + ".norm2", cout)
    conv(sd, p + ".conv2", cout, cout, 3)
    if cin != cout:
        conv(sd, p + ".nin_shortcut", cout, cin, 1)


def attn(sd, p, c):
    norm(sd, p + ".norm", c)
    for x in ("q", "k", "v", "proj_out"):
        conv(sd, p + "." + x, c, c, 1)


def vq_state_dict():
    sd = {}
    levels = len(MULT)
    # encoder (carried through by the importer; the server uses the decoder)
    conv(sd, "encoder.conv_in", CH, 3, 3)
    block_in = CH
    for i in range(levels):
        out = CH * MULT[i]
        for j in range(NRES):
            res(sd, f"encoder.conv_blocks.{i}.res.{j}", block_in, out)
            block_in = out
            if i == levels - 1:
                attn(sd, f"encoder.conv_blocks.{i}.attn.{j}", block_in)
        if i != levels - 1:
            conv(sd, f"encoder.conv_blocks.{i}.downsample.conv", block_in, block_in, 3)
    res(sd, "encoder.mid.0", block_in, block_in)
    attn(sd, "encoder.mid.1", block_in)
    res(sd, "encoder.mid.2", block_in, block_in)
    norm(sd, "encoder.norm_out", block_in)
    conv(sd, "encoder.conv_out", Z, block_in, 3)
    conv(sd, "quant_conv", E, Z, 1)
    sd["quantize.embedding.weight"] = torch.randn(K, E)
    sd["quantize.codebook_used"] = torch.zeros(65536)
    conv(sd, "post_quant_conv", Z, E, 1)
    # decoder
    block_in = CH * MULT[-1]
    conv(sd, "decoder.conv_in", block_in, Z, 3)
    res(sd, "decoder.mid.0", block_in, block_in)
    attn(sd, "decoder.mid.1", block_in)
    res(sd, "decoder.mid.2", block_in, block_in)
    for i, level in enumerate(reversed(range(levels))):
        out = CH * MULT[level]
        for j in range(NRES + 1):
            res(sd, f"decoder.conv_blocks.{i}.res.{j}", block_in, out)
            block_in = out
            if level == levels - 1:
                attn(sd, f"decoder.conv_blocks.{i}.attn.{j}", block_in)
        if level != 0:
            conv(sd, f"decoder.conv_blocks.{i}.upsample.conv", block_in, block_in, 3)
    norm(sd, "decoder.norm_out", block_in)
    conv(sd, "decoder.conv_out", 3, block_in, 3)
    return {k: v.to(torch.float16) for k, v in sd.items()}


# --- the decoder's forward, from torch.nn.functional -------------------------------------------------
def decode(w, codes, side):
    def c(x, name):
        k = w[name + ".weight"].shape[-1]
        return F.conv2d(x, w[name + ".weight"], w[name + ".bias"], padding=k // 2)

    def gn(x, name):
        return F.group_norm(x, 32, w[name + ".weight"], w[name + ".bias"], eps=1e-6)

    def r(x, p):
        h = c(F.silu(gn(x, p + ".norm1")), p + ".conv1")
        h = c(F.silu(gn(h, p + ".norm2")), p + ".conv2")
        if p + ".nin_shortcut.weight" in w:
            x = c(x, p + ".nin_shortcut")
        return x + h

    def a(x, p):
        h = gn(x, p + ".norm")
        q, k, v = c(h, p + ".q"), c(h, p + ".k"), c(h, p + ".v")
        b, ch, hh, ww = q.shape
        att = torch.softmax(torch.einsum("bci,bcj->bij", q.reshape(b, ch, -1), k.reshape(b, ch, -1))
                            * ch ** -0.5, dim=2)
        o = torch.einsum("bij,bcj->bci", att, v.reshape(b, ch, -1)).reshape(b, ch, hh, ww)
        return x + c(o, p + ".proj_out")

    emb = F.normalize(w["quantize.embedding.weight"], p=2, dim=-1)
    z = emb[codes].reshape(1, side, side, E).permute(0, 3, 1, 2)
    h = c(z, "post_quant_conv")
    h = c(h, "decoder.conv_in")
    h = a(r(h, "decoder.mid.0"), "decoder.mid.1")
    h = r(h, "decoder.mid.2")
    levels = len(MULT)
    for i in range(levels):
        for j in range(NRES + 1):
            h = r(h, f"decoder.conv_blocks.{i}.res.{j}")
            if i == 0:
                h = a(h, f"decoder.conv_blocks.{i}.attn.{j}")
        if i != levels - 1:
            h = c(F.interpolate(h, scale_factor=2.0, mode="nearest"),
                  f"decoder.conv_blocks.{i}.upsample.conv")
    return c(F.silu(gn(h, "decoder.norm_out")), "decoder.conv_out")


def main(out):
    torch.save({"model": gpt_state_dict(), "steps": 7,
                "args": argparse.Namespace(gpt_model="GPT-tiny", image_size=8)}, f"{out}/gpt_tiny.pt")
    vq = vq_state_dict()
    torch.save({"model": vq}, f"{out}/vq_tiny.pt")
    side = 4
    codes = torch.tensor([5, 0, 63, 17, 8, 8, 42, 1, 30, 31, 2, 9, 60, 11, 7, 3])
    with torch.no_grad():
        img = decode({k: v.float() for k, v in vq.items()}, codes, side)
    with open(f"{out}/vq_tiny_golden.json", "w") as f:
        json.dump({"torch": torch.__version__, "grid_side": side, "codes": codes.tolist(),
                   "shape": list(img.shape), "image": [round(v, 7) for v in img.flatten().tolist()]},
                  f)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
