"""Shared pieces of the PyTorch/diffusers reference scripts.

Weight perturbation (so that no default-initialised identity, zero bias or unit norm hides a bug)
and the partial UNet forward used for mid-block guidance (conv_in, time embedding, down blocks,
mid block, and nothing after it).
"""

import torch
import torch.nn as nn

NORM_TYPES = (nn.GroupNorm, nn.LayerNorm, nn.BatchNorm2d)


@torch.no_grad()
def perturb_parameters(model: nn.Module, generator: torch.Generator, noise: float = 0.1) -> None:
    """Move every parameter away from its default initialisation, deterministically.

    - GroupNorm/LayerNorm weights: 1 + 0.1 * randn; their biases: 0.1 * randn.
    - Every other bias: 0.1 * randn.
    - Every other weight: default init + noise * std(weight) * randn (std of the fan-in bound
      when the default init is constant, e.g. zero-initialised layers).
    Parameters are visited in named_parameters() order, so the result depends only on the seed
    of `generator` and on the module structure.
    """
    norm_params = set()
    for module in model.modules():
        if isinstance(module, NORM_TYPES):
            for p in module.parameters(recurse=False):
                norm_params.add(id(p))
    for name, p in model.named_parameters():
        r = torch.randn(p.shape, generator=generator, dtype=torch.float32)
        leaf = name.rsplit(".", 1)[-1]
        if id(p) in norm_params and leaf == "weight":
            p.copy_(1.0 + 0.1 * r)
        elif leaf == "bias" or id(p) in norm_params:
            p.copy_(0.1 * r)
        else:
            std = float(p.std()) if p.numel() > 1 else 0.0
            if std == 0.0:
                fan_in = p[0].numel() if p.dim() > 1 else max(p.numel(), 1)
                std = fan_in ** -0.5
            p.add_(noise * std * r)


def unet_mid_forward(unet, sample, timestep, encoder_hidden_states):
    """UNet2DConditionModel forward stopped after the mid block (returns the mid-block output).

    Same arithmetic as diffusers' UNet2DConditionModel.forward up to mid_block (no class labels,
    no added conditions, no attention mask, center_input_sample false).
    """
    timesteps = timestep
    if timesteps.dim() == 0:
        timesteps = timesteps[None]
    timesteps = timesteps.expand(sample.shape[0])
    t_emb = unet.time_proj(timesteps).to(dtype=sample.dtype)
    emb = unet.time_embedding(t_emb)
    h = unet.conv_in(sample)
    for block in unet.down_blocks:
        if getattr(block, "has_cross_attention", False):
            h, _ = block(hidden_states=h, temb=emb, encoder_hidden_states=encoder_hidden_states)
        else:
            h, _ = block(hidden_states=h, temb=emb)
    return unet.mid_block(h, emb, encoder_hidden_states=encoder_hidden_states)


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
