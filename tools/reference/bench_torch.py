#!/usr/bin/env python3
"""PyTorch CPU speed on the same config and weights as the Swift engine's bench.

    python3 tools/reference/bench_torch.py [--model runs/bench-model] [--threads 2] [--json OUT]

--model DIR holds unet/ and vae/ in diffusers layout (config.json + diffusion_pytorch_model.safetensors).
A missing unet/ or vae/ is created from tools/reference/default_{unet,vae}_config.json with seeded,
perturbed random weights and saved there, so `posestudio bench` can load the very same files.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

import diffusers
from diffusers import AutoencoderKL, UNet2DConditionModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import count_parameters, perturb_parameters, unet_mid_forward  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONTEXT_TOKENS = 16


def ensure_model(folder: Path, cls, config_path: Path, seed: int) -> None:
    if (folder / "config.json").is_file() and (folder / "diffusion_pytorch_model.safetensors").is_file():
        return
    print(f"creating {folder} from {config_path.name} (seed {seed})")
    config = json.loads(config_path.read_text())
    torch.manual_seed(seed)
    model = cls.from_config(config)
    perturb_parameters(model, torch.Generator().manual_seed(seed))
    model.save_pretrained(str(folder), safe_serialization=True)


def median_ms(fn, runs: int, warmup: int) -> tuple:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    return statistics.median(times), times[0], times[-1]


def count_gflop(unet, sample, t, ctx) -> float:
    """MACs * 2 of convolutions, linears and attention matmuls (SDPA is counted), one forward."""
    from torch.utils.flop_counter import FlopCounterMode

    with torch.inference_mode(), FlopCounterMode(display=False) as counter:
        unet(sample, t, encoder_hidden_states=ctx)
    return counter.get_total_flops() / 1e9


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=REPO / "runs" / "bench-model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=30, help="timed runs per measurement (median reported)")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    args = ap.parse_args()
    if args.runs < 30:
        ap.error("--runs must be at least 30")

    diffusers.utils.logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    model_dir = args.model
    ensure_model(model_dir / "unet", UNet2DConditionModel, HERE / "default_unet_config.json", seed=11)
    ensure_model(model_dir / "vae", AutoencoderKL, HERE / "default_vae_config.json", seed=12)
    unet = UNet2DConditionModel.from_pretrained(str(model_dir / "unet")).eval()
    vae = AutoencoderKL.from_pretrained(str(model_dir / "vae")).eval()
    for p in list(unet.parameters()) + list(vae.parameters()):
        p.requires_grad_(False)

    gen = torch.Generator().manual_seed(0)
    ucfg = unet.config
    hw = ucfg.sample_size
    ctx_dim = ucfg.cross_attention_dim

    def unet_inputs(batch):
        sample = torch.randn(batch, ucfg.in_channels, hw, hw, generator=gen)
        t = torch.randint(0, 1000, (batch,), generator=gen).float()
        ctx = torch.randn(batch, CONTEXT_TOKENS, ctx_dim, generator=gen)
        return sample, t, ctx

    results = {
        "torch_version": torch.__version__,
        "diffusers_version": diffusers.__version__,
        "threads": args.threads,
        "model_dir": str(model_dir),
        "unet_forward_ms": {},
    }
    spreads = {}

    for batch in (1, 4):
        sample, t, ctx = unet_inputs(batch)

        def fwd():
            with torch.inference_mode():
                unet(sample, t, encoder_hidden_states=ctx)

        med, lo, hi = median_ms(fwd, args.runs, args.warmup)
        results["unet_forward_ms"][str(batch)] = round(med, 3)
        spreads[f"unet_forward b{batch}"] = (med, lo, hi)

    sample, t, ctx = unet_inputs(1)
    with torch.no_grad():
        mid_shape = unet_mid_forward(unet, sample, t, ctx).shape
    R = torch.randn(mid_shape, generator=gen)

    def guidance_grad():
        x = sample.clone().requires_grad_(True)
        mid = unet_mid_forward(unet, x, t, ctx)
        (g,) = torch.autograd.grad((mid * R).sum(), [x])
        return g

    med, lo, hi = median_ms(guidance_grad, args.runs, args.warmup)
    results["guidance_grad_ms"] = round(med, 3)
    spreads["guidance_grad b1"] = (med, lo, hi)

    vcfg = vae.config
    z = torch.randn(1, vcfg.latent_channels, vcfg.sample_size // 2 ** (len(vcfg.block_out_channels) - 1),
                    vcfg.sample_size // 2 ** (len(vcfg.block_out_channels) - 1), generator=gen)

    def decode():
        with torch.inference_mode():
            vae.decode(z)

    med, lo, hi = median_ms(decode, args.runs, args.warmup)
    results["vae_decode_ms"] = round(med, 3)
    spreads["vae_decode b1"] = (med, lo, hi)

    results["unet_params"] = count_parameters(unet)
    results["vae_params"] = count_parameters(vae)
    results["unet_gflop_per_forward"] = round(count_gflop(unet, *unet_inputs(1)), 4)
    results["runs"] = args.runs

    print(f"PyTorch {torch.__version__}, diffusers {diffusers.__version__}, {args.threads} thread(s), "
          f"model {model_dir}")
    print(f"UNet {results['unet_params'] / 1e6:.2f} M parameters, "
          f"{results['unet_gflop_per_forward']:.3f} GFLOP per batch-1 forward; "
          f"VAE {results['vae_params'] / 1e6:.2f} M parameters")
    print(f"median of {args.runs} runs after {args.warmup} warm-up (min .. max):")
    for name, (med, lo, hi) in spreads.items():
        print(f"  {name:<18} {med:8.2f} ms   ({lo:.2f} .. {hi:.2f})")
    b1 = results["unet_forward_ms"]["1"]
    print(f"  UNet batch 1 throughput: {results['unet_gflop_per_forward'] / (b1 / 1000):.1f} GFLOP/s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
