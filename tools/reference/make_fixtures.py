#!/usr/bin/env python3
"""Writes the PyTorch/diffusers parity fixtures of the Swift engine tests.

Run by hand from the repository root:  python3 tools/reference/make_fixtures.py
Output: Tests/PoseEngineTests/Fixtures/ (unet_tiny/, unet_tiny_linear/, vae_tiny/, layers.safetensors)
and tools/reference/FIXTURES.md (every tensor's name, shape and meaning, generated from the same run).
Deterministic: fixed seeds, one CPU thread.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

import diffusers
import safetensors
from diffusers import AutoencoderKL, UNet2DConditionModel
from diffusers.models.activations import GEGLU
from diffusers.models.attention_processor import Attention
from diffusers.models.downsampling import Downsample2D
from diffusers.models.embeddings import get_timestep_embedding
from diffusers.models.resnet import ResnetBlock2D
from diffusers.models.upsampling import Upsample2D
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import count_parameters, perturb_parameters, unet_mid_forward  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "Tests" / "PoseEngineTests" / "Fixtures"
DEFAULT_DOC = REPO / "tools" / "reference" / "FIXTURES.md"


class TensorSet:
    """An ordered set of named float32 tensors with a one-line meaning each."""

    def __init__(self, filename: str, title: str):
        self.filename = filename
        self.title = title
        self.tensors = {}
        self.meanings = {}

    def add(self, name: str, tensor: torch.Tensor, meaning: str) -> None:
        if name in self.tensors:
            raise ValueError(f"duplicate tensor name {name}")
        self.tensors[name] = tensor.detach().to(torch.float32).contiguous().clone()
        self.meanings[name] = meaning

    def save(self, root: Path) -> Path:
        path = root / self.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        # one key only: safetensors writes the metadata map in hash order, which would make
        # reruns differ byte-wise
        metadata = {"generator": f"tools/reference/make_fixtures.py (torch {torch.__version__}, "
                                 f"diffusers {diffusers.__version__})"}
        save_file(self.tensors, str(path), metadata=metadata)
        return path

    def markdown(self) -> str:
        lines = [f"### `{self.filename}` — {self.title}", "", "| name | shape | meaning |", "|---|---|---|"]
        for name, t in self.tensors.items():
            shape = "[" + ", ".join(str(s) for s in t.shape) + "]"
            lines.append(f"| `{name}` | {shape} | {self.meanings[name]} |")
        lines.append("")
        return "\n".join(lines)


def randn(gen, *shape, scale=1.0):
    return scale * torch.randn(*shape, generator=gen, dtype=torch.float32)


def check_range(label: str, t: torch.Tensor, lo: float = 0.05, hi: float = 20.0) -> None:
    s = float(t.detach().std())
    m = float(t.detach().abs().max())
    ok = lo <= s <= hi and torch.isfinite(t).all()
    print(f"  {label:<34} std {s:8.4f}  max|x| {m:8.4f}  {'ok' if ok else 'OUT OF RANGE'}")
    if not ok:
        raise SystemExit(f"{label}: std {s} outside [{lo}, {hi}]")


# ----------------------------------------------------------------------------------------------
# UNet fixtures
# ----------------------------------------------------------------------------------------------

UNET_TINY_CONFIG = dict(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    block_out_channels=(32, 32, 64),
    layers_per_block=2,
    down_block_types=("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    up_block_types=("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    cross_attention_dim=24,
    attention_head_dim=2,
    norm_num_groups=8,
)

UNET_TINY_LINEAR_CONFIG = dict(
    sample_size=8,
    in_channels=4,
    out_channels=4,
    block_out_channels=(32, 64),
    layers_per_block=1,
    down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
    cross_attention_dim=24,
    attention_head_dim=[2, 4],
    norm_num_groups=8,
    use_linear_projection=True,
)

UNET_PARAM_GRADS = [
    "conv_in.weight",
    "mid_block.attentions.0.transformer_blocks.0.attn2.to_k.weight",
    "up_blocks.0.resnets.0.conv1.weight",
    "time_embedding.linear_1.weight",
]


def make_unet_fixture(out_root: Path, folder: str, config: dict, seed: int, param_grads) -> TensorSet:
    print(f"{folder}:")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    unet = UNet2DConditionModel(**config)
    perturb_parameters(unet, gen)
    unet.eval()
    unet.save_pretrained(str(out_root / folder), safe_serialization=True)
    print(f"  parameters {count_parameters(unet)}")

    n_mid = len(unet.down_blocks) - 1
    hw = config["sample_size"] // (2 ** n_mid)
    mid_ch = config["block_out_channels"][-1]
    ctx_dim = config["cross_attention_dim"]

    sample = randn(gen, 2, 4, 8, 8).requires_grad_(True)
    timestep = torch.tensor([10.0, 700.0], dtype=torch.float32)
    ehs = randn(gen, 2, 5, ctx_dim).requires_grad_(True)

    captured = {}
    hooks = []
    for i, block in enumerate(unet.down_blocks):
        hooks.append(block.register_forward_hook(
            lambda m, a, o, i=i: captured.__setitem__(f"down_block_{i}_output", o[0])))
    hooks.append(unet.mid_block.register_forward_hook(
        lambda m, a, o: captured.__setitem__("mid_output", o)))
    for i, block in enumerate(unet.up_blocks):
        hooks.append(block.register_forward_hook(
            lambda m, a, o, i=i: captured.__setitem__(f"up_block_{i}_output", o)))
    hooks.append(unet.conv_in.register_forward_hook(
        lambda m, a, o: captured.__setitem__("conv_in_output", o)))
    hooks.append(unet.time_embedding.register_forward_hook(
        lambda m, a, o: captured.__setitem__("time_embedding_output", o)))

    output = unet(sample, timestep, encoder_hidden_states=ehs).sample
    for h in hooks:
        h.remove()
    mid = captured["mid_output"]
    assert tuple(mid.shape) == (2, mid_ch, hw, hw), mid.shape

    # the partial forward used for guidance must agree with the full forward's mid block
    with torch.no_grad():
        mid_partial = unet_mid_forward(unet, sample, timestep, ehs)
    assert torch.allclose(mid_partial, mid, atol=1e-5), "partial mid forward mismatch"

    check_range("output", output)
    check_range("mid_output", mid)

    R = randn(gen, *mid.shape)
    loss_mid = (mid * R).sum()
    g_sample, g_ehs = torch.autograd.grad(loss_mid, [sample, ehs], retain_graph=True)

    R_out = randn(gen, *output.shape)
    loss_full = (output * R_out).sum()
    params = dict(unet.named_parameters())
    wrt = [sample, ehs] + [params[n] for n in param_grads]
    grads_full = torch.autograd.grad(loss_full, wrt)
    check_range("grad_sample (mid loss)", g_sample, lo=1e-3, hi=1e4)
    check_range("grad_sample_full", grads_full[0], lo=1e-3, hi=1e4)

    ts = TensorSet(f"{folder}/io.safetensors", f"inputs, outputs and gradients of the `{folder}` UNet")
    ts.add("sample", sample, "input latent x_t (NCHW)")
    ts.add("timestep", timestep, "per-sample timesteps, float32 (10 and 700)")
    ts.add("encoder_hidden_states", ehs, "context tokens [batch, tokens, cross_attention_dim]")
    ts.add("output", output, "UNet output `.sample` (noise prediction)")
    ts.add("conv_in_output", captured["conv_in_output"], "debug: output of conv_in")
    ts.add("time_embedding_output", captured["time_embedding_output"],
           "debug: time_embedding(time_proj(timestep)), the `temb` given to every resnet")
    for i in range(len(unet.down_blocks)):
        ts.add(f"down_block_{i}_output", captured[f"down_block_{i}_output"],
               f"debug: hidden state returned by down_blocks[{i}] (after its downsampler, if any)")
    ts.add("mid_output", mid, "output of mid_block (forward hook)")
    for i in range(len(unet.up_blocks)):
        ts.add(f"up_block_{i}_output", captured[f"up_block_{i}_output"],
               f"debug: output of up_blocks[{i}] (after its upsampler, if any)")
    ts.add("mid_loss_weights", R, "R: weights of the mid loss L_mid = sum(mid_output * R)")
    ts.add("grad_sample", g_sample, "dL_mid / d sample")
    ts.add("grad_encoder_hidden_states", g_ehs, "dL_mid / d encoder_hidden_states")
    ts.add("output_loss_weights", R_out, "R_out: weights of the full loss L_out = sum(output * R_out)")
    ts.add("grad_sample_full", grads_full[0], "dL_out / d sample")
    ts.add("grad_encoder_hidden_states_full", grads_full[1], "dL_out / d encoder_hidden_states")
    for name, g in zip(param_grads, grads_full[2:]):
        ts.add(f"grad_param.{name}", g, f"dL_out / d `{name}` (diffusers parameter name, PyTorch layout)")
    ts.save(out_root)
    return ts


# ----------------------------------------------------------------------------------------------
# VAE fixture
# ----------------------------------------------------------------------------------------------

VAE_TINY_CONFIG = dict(
    in_channels=3,
    out_channels=3,
    latent_channels=4,
    block_out_channels=(16, 32, 32),
    layers_per_block=1,
    down_block_types=("DownEncoderBlock2D",) * 3,
    up_block_types=("UpDecoderBlock2D",) * 3,
    norm_num_groups=8,
    sample_size=16,
    scaling_factor=0.3,
)


def make_vae_fixture(out_root: Path, seed: int) -> TensorSet:
    folder = "vae_tiny"
    print(f"{folder}:")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    vae = AutoencoderKL(**VAE_TINY_CONFIG)
    perturb_parameters(vae, gen)
    vae.eval()
    vae.save_pretrained(str(out_root / folder), safe_serialization=True)
    print(f"  parameters {count_parameters(vae)}")

    image = (torch.rand(2, 3, 16, 16, generator=gen) * 2 - 1).requires_grad_(True)
    captured = {}
    hook = vae.encoder.register_forward_hook(lambda m, a, o: captured.__setitem__("encoder_output", o))
    dist = vae.encode(image).latent_dist
    hook.remove()
    mean, logvar = dist.mean, dist.logvar
    check_range("posterior_mean", mean)
    check_range("posterior_logvar", logvar)

    z = randn(gen, 2, 4, 4, 4).requires_grad_(True)
    captured_dec = {}
    hook = vae.post_quant_conv.register_forward_hook(
        lambda m, a, o: captured_dec.__setitem__("post_quant_conv_output", o))
    decoded = vae.decode(z).sample
    hook.remove()
    check_range("decoded", decoded)

    R_dec = randn(gen, *decoded.shape)
    (grad_z,) = torch.autograd.grad((decoded * R_dec).sum(), [z])
    R_enc = randn(gen, *mean.shape)
    (grad_image,) = torch.autograd.grad((mean * R_enc).sum(), [image])
    check_range("grad_z", grad_z, lo=1e-3, hi=1e4)
    check_range("grad_image", grad_image, lo=1e-4, hi=1e4)

    ts = TensorSet(f"{folder}/io.safetensors", "inputs, outputs and gradients of the `vae_tiny` AutoencoderKL")
    ts.add("image", image, "input image in [-1, 1] (NCHW RGB)")
    ts.add("encoder_output", captured["encoder_output"],
           "debug: encoder output before quant_conv (2*latent_channels moments)")
    ts.add("posterior_mean", mean, "encode(image).latent_dist.mean (after quant_conv)")
    ts.add("posterior_logvar", logvar, "encode(image).latent_dist.logvar (clamped to [-30, 20])")
    ts.add("z", z, "random latent given to decode (no scaling_factor applied)")
    ts.add("post_quant_conv_output", captured_dec["post_quant_conv_output"], "debug: post_quant_conv(z)")
    ts.add("decoded", decoded, "decode(z).sample")
    ts.add("R_dec", R_dec, "weights of L_dec = sum(decoded * R_dec)")
    ts.add("grad_z", grad_z, "dL_dec / d z")
    ts.add("R_enc", R_enc, "weights of L_enc = sum(posterior_mean * R_enc)")
    ts.add("grad_image", grad_image, "dL_enc / d image")
    ts.save(out_root)
    return ts


# ----------------------------------------------------------------------------------------------
# Per-layer fixture
# ----------------------------------------------------------------------------------------------

def layer_case(ts: TensorSet, gen, prefix: str, describe: str, module: nn.Module, inputs: dict, forward):
    """Runs `forward(module, **inputs)`, a random upstream gradient dy, and records everything.

    inputs: name -> tensor (each gets `<prefix>.<name>` and its gradient `<prefix>.d<name>`).
    """
    if module is not None:
        perturb_parameters(module, gen)
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    y = forward(module, **leaves)
    dy = randn(gen, *y.shape)
    params = list(module.named_parameters()) if module is not None else []
    grads = torch.autograd.grad(y, list(leaves.values()) + [p for _, p in params], grad_outputs=dy)
    for name, p in params:
        ts.add(f"{prefix}.{name}", p, f"{describe}: parameter `{name}`")
    for k, v in leaves.items():
        ts.add(f"{prefix}.{k}", v, f"{describe}: forward input `{k}`")
    ts.add(f"{prefix}.output", y, f"{describe}: forward output")
    ts.add(f"{prefix}.dy", dy, f"{describe}: upstream gradient dL/d output")
    for (k, _), g in zip(leaves.items(), grads[: len(leaves)]):
        ts.add(f"{prefix}.d{k}", g, f"{describe}: dL/d `{k}`")
    for (name, _), g in zip(params, grads[len(leaves):]):
        ts.add(f"{prefix}.grad.{name}", g, f"{describe}: dL/d `{name}`")


def make_layer_fixture(out_root: Path, seed: int) -> TensorSet:
    print("layers:")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    ts = TensorSet("layers.safetensors", "single layers, forward and backward (prefix.*)")

    def call(m, input):
        return m(input)

    layer_case(ts, gen, "conv3x3", "Conv2d(5->6, k3, stride 1, pad 1, bias)",
               nn.Conv2d(5, 6, 3, 1, 1), {"input": randn(gen, 2, 5, 7, 7)}, call)
    layer_case(ts, gen, "conv3x3_s2", "Conv2d(5->6, k3, stride 2, pad 1, bias), odd 7x7 input",
               nn.Conv2d(5, 6, 3, 2, 1), {"input": randn(gen, 2, 5, 7, 7)}, call)
    layer_case(ts, gen, "conv3x3_s2_even", "Conv2d(5->6, k3, stride 2, pad 1, bias), even 8x8 input (UNet downsampler)",
               nn.Conv2d(5, 6, 3, 2, 1), {"input": randn(gen, 2, 5, 8, 8)}, call)
    layer_case(ts, gen, "conv1x1", "Conv2d(6->4, k1, bias)",
               nn.Conv2d(6, 4, 1), {"input": randn(gen, 2, 6, 5, 5)}, call)
    layer_case(ts, gen, "vae_downsample",
               "diffusers Downsample2D(4, use_conv, padding=0): F.pad (0,1,0,1) then Conv2d k3 stride 2 pad 0 "
               "(standalone its conv is named `Conv2d_0`; inside AutoencoderKL the key is `downsamplers.0.conv`)",
               Downsample2D(4, use_conv=True, out_channels=4, padding=0, name="conv"),
               {"input": randn(gen, 2, 4, 8, 8)}, call)
    layer_case(ts, gen, "group_norm", "GroupNorm(4 groups, 8 channels, eps 1e-5, affine)",
               nn.GroupNorm(4, 8, eps=1e-5), {"input": randn(gen, 2, 8, 5, 5, scale=2.0) + 0.5}, call)
    layer_case(ts, gen, "group_norm_eps1e-6", "GroupNorm(4 groups, 8 channels, eps 1e-6, affine) (VAE / Transformer2D eps)",
               nn.GroupNorm(4, 8, eps=1e-6), {"input": randn(gen, 2, 8, 3, 3, scale=0.01)}, call)
    layer_case(ts, gen, "layer_norm", "LayerNorm(16, eps 1e-5, affine) over the last axis",
               nn.LayerNorm(16, eps=1e-5), {"input": randn(gen, 2, 5, 16, scale=2.0) + 0.5}, call)
    layer_case(ts, gen, "linear", "Linear(16->12, bias) on a 3-D input [2,5,16]",
               nn.Linear(16, 12), {"input": randn(gen, 2, 5, 16)}, call)
    layer_case(ts, gen, "geglu", "diffusers GEGLU(16->24): proj to 48, chunk -> (h, gate), h * gelu_exact(gate)",
               GEGLU(16, 24), {"input": randn(gen, 2, 5, 16)}, call)
    layer_case(ts, gen, "gelu", "exact (erf) GELU",
               None, {"input": randn(gen, 2, 3, 17, scale=2.0)}, lambda m, input: F.gelu(input))
    layer_case(ts, gen, "silu", "SiLU",
               None, {"input": randn(gen, 2, 3, 17, scale=2.0)}, lambda m, input: F.silu(input))

    cross = Attention(query_dim=16, cross_attention_dim=12, heads=2, dim_head=8, bias=False, out_bias=True)
    layer_case(ts, gen, "cross_attention",
               "diffusers Attention(query_dim 16, cross_attention_dim 12, heads 2, dim_head 8, bias False, to_out bias)",
               cross, {"input": randn(gen, 2, 6, 16), "context": randn(gen, 2, 5, 12)},
               lambda m, input, context: m(input, encoder_hidden_states=context))
    selfattn = Attention(query_dim=16, heads=2, dim_head=8, bias=False, out_bias=True)
    layer_case(ts, gen, "self_attention",
               "diffusers Attention(query_dim 16, heads 2, dim_head 8, bias False, to_out bias), self-attention",
               selfattn, {"input": randn(gen, 2, 6, 16)}, call)
    vae_attn = Attention(query_dim=8, heads=1, dim_head=8, rescale_output_factor=1.0, eps=1e-6,
                         norm_num_groups=4, spatial_norm_dim=None, residual_connection=True, bias=True,
                         upcast_softmax=True, _from_deprecated_attn_block=True)
    layer_case(ts, gen, "vae_attention",
               "VAE mid-block attention: Attention(8 ch, 1 head, GroupNorm(4, eps 1e-6) inside, biased q/k/v, "
               "residual) on NCHW input",
               vae_attn, {"input": randn(gen, 2, 8, 3, 3)}, call)
    layer_case(ts, gen, "upsample", "diffusers Upsample2D(4, use_conv): nearest 2x then Conv2d k3 pad 1",
               Upsample2D(4, use_conv=True, out_channels=4), {"input": randn(gen, 2, 4, 3, 3)}, call)
    layer_case(ts, gen, "resnet",
               "diffusers ResnetBlock2D(8->16, temb 12, groups 4, eps 1e-5): GN-SiLU-conv1 + time_emb_proj(SiLU(temb)), "
               "GN-SiLU-conv2, 1x1 conv_shortcut",
               ResnetBlock2D(in_channels=8, out_channels=16, temb_channels=12, groups=4, eps=1e-5),
               {"input": randn(gen, 2, 8, 4, 4), "temb": randn(gen, 2, 12)},
               lambda m, input, temb: m(input, temb))

    t = torch.tensor([0.0, 1.0, 10.0, 999.0])
    emb = get_timestep_embedding(t, 32, flip_sin_to_cos=True, downscale_freq_shift=0)
    ts.add("timestep_embedding.t", t, "timesteps for the sinusoidal embedding")
    ts.add("timestep_embedding.output", emb,
           "get_timestep_embedding(t, 32, flip_sin_to_cos=True, downscale_freq_shift=0): [cos | sin]")
    ts.save(out_root)
    print(f"  {len(ts.tensors)} tensors")
    return ts


@torch.no_grad()
def check_reload(model, io_path: Path, folder: str) -> None:
    """The saved weights, loaded back with from_pretrained, must reproduce the saved outputs."""
    io = load_file(str(io_path))
    if isinstance(model, UNet2DConditionModel):
        y = model(io["sample"], io["timestep"], encoder_hidden_states=io["encoder_hidden_states"]).sample
        ref = io["output"]
    else:
        y = model.decode(io["z"]).sample
        ref = io["decoded"]
    err = float((y - ref).abs().max())
    print(f"  reload check {folder}: max |diff| {err:.2e}")
    if err > 1e-5:
        raise SystemExit(f"{folder}: reloaded weights do not reproduce the fixture output")


# ----------------------------------------------------------------------------------------------

DOC_HEADER = """# Parity fixtures

Written by `tools/reference/make_fixtures.py` (run by hand; see README.md) into
`Tests/PoseEngineTests/Fixtures/`. Generated with torch {torch}, diffusers {diffusers},
safetensors {safetensors}. Every tensor is float32, contiguous, PyTorch layout (NCHW activations;
Conv2d weight [out, in, kh, kw]; Linear weight [out, in]). Model weights are diffusers
`save_pretrained(safe_serialization=True)` files with diffusers parameter names.

Every parameter is perturbed away from its default initialisation (norm weights 1 + 0.1 randn,
biases 0.1 randn, other weights default init + 0.1 * std * randn), so identities and zero biases
cannot hide a bug.

Loss convention: a gradient `dL/dX` is always for a scalar loss `L = sum(Y * R)` where `R` is the
saved weight tensor (equivalently, R is the upstream gradient dY). In `layers.safetensors` R is `prefix.dy`.

Suggested tolerances: forward outputs 1e-4 relative to the tensor's max magnitude; gradients 1e-3.

## Models

| folder | class | key config | parameters |
|---|---|---|---|
{models}

## Tensors

"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixture folder")
    ap.add_argument("--doc", type=Path, default=DEFAULT_DOC, help="markdown listing to write")
    args = ap.parse_args()

    torch.set_num_threads(1)
    diffusers.utils.logging.set_verbosity_error()
    torch.use_deterministic_algorithms(True)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    sets = [
        make_unet_fixture(out, "unet_tiny", UNET_TINY_CONFIG, seed=1, param_grads=UNET_PARAM_GRADS),
        make_unet_fixture(out, "unet_tiny_linear", UNET_TINY_LINEAR_CONFIG, seed=2, param_grads=[]),
        make_vae_fixture(out, seed=3),
        make_layer_fixture(out, seed=4),
    ]

    models = []
    for folder, cls in [("unet_tiny", UNet2DConditionModel), ("unet_tiny_linear", UNet2DConditionModel),
                        ("vae_tiny", AutoencoderKL)]:
        cfg = json.loads((out / folder / "config.json").read_text())
        keys = ["block_out_channels", "layers_per_block", "down_block_types", "up_block_types",
                "cross_attention_dim", "attention_head_dim", "use_linear_projection", "norm_num_groups",
                "latent_channels", "scaling_factor", "sample_size"]
        desc = ", ".join(f"{k} {json.dumps(cfg[k])}" for k in keys if k in cfg and cfg[k] is not None)
        model = cls.from_pretrained(str(out / folder)).eval()
        check_reload(model, out / folder / "io.safetensors", folder)
        models.append(f"| `{folder}/` | {cls.__name__} | {desc} | {count_parameters(model)} |")

    doc = DOC_HEADER.format(torch=torch.__version__, diffusers=diffusers.__version__,
                            safetensors=safetensors.__version__, models="\n".join(models))
    doc += "\n".join(ts.markdown() for ts in sets)
    args.doc.write_text(doc)

    print("\nfixture files:")
    total = 0
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        size = path.stat().st_size
        total += size
        print(f"  {str(path.relative_to(out)):<52} {size / 1024:9.1f} KiB")
    print(f"  total {total / 1024 / 1024:.2f} MiB; {sum(len(s.tensors) for s in sets)} fixture tensors; "
          f"listing in {os.path.relpath(args.doc, REPO)}")


if __name__ == "__main__":
    main()
