"""The MiM pre-training network in PyTorch, for the side-by-side benchmark (issue 15).

Written from the forward semantics in tests/MiM.Bundles.Model.Tests/Assets/mim_reference/README.md (the authors'
MaskedAutoencoderConvViT3d), with the authors' parameter names, so one safetensors file loads into both this module
and the C# network. `check_fixtures` proves it against the authors' own outputs before anything is timed.
Runs on the PyTorch that Debian packages (python3-torch 1.13): no fused attention, no safetensors package.
"""

import json
import struct

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

_DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """The tensors of a safetensors file by name (8-byte header length, JSON header, raw little-endian data)."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    start = 8 + length
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[start + begin : start + end], dtype=_DTYPES[entry["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(entry["shape"]).copy())
    return tensors


def channel_layer_norm(x, norm):
    """LayerNorm over the channels of [N, C, D, H, W]."""
    return norm(x.permute(0, 2, 3, 4, 1)).permute(0, 4, 1, 2, 3)


class PatchEmbed(nn.Module):
    """Conv3d kernel = stride = 2, channel LayerNorm (eps 1e-5), exact GELU."""

    def __init__(self, cin, cout):
        super().__init__()
        self.proj = nn.Conv3d(cin, cout, 2, stride=2)
        self.norm = nn.LayerNorm(cout, eps=1e-5)

    def forward(self, x):
        return F.gelu(channel_layer_norm(self.proj(x), self.norm))


class ConvMlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Conv3d(dim, hidden, 1)
        self.fc2 = nn.Conv3d(hidden, dim, 1)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class ConvBlock(nn.Module):
    """x += conv2(attn(v * conv1(norm1(x)))); x += mlp(norm2(x)); attn is a depthwise 5^3 convolution."""

    def __init__(self, dim, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-5)
        self.conv1 = nn.Conv3d(dim, dim, 1)
        self.conv2 = nn.Conv3d(dim, dim, 1)
        self.attn = nn.Conv3d(dim, dim, 5, padding=2, groups=dim)
        self.norm2 = nn.LayerNorm(dim, eps=1e-5)
        self.mlp = ConvMlp(dim, dim * mlp_ratio)

    def forward(self, x, visible):
        y = self.conv1(channel_layer_norm(x, self.norm1))
        if visible is not None:
            y = y * visible
        x = x + self.conv2(self.attn(y))
        return x + self.mlp(channel_layer_norm(x, self.norm2))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        n, t, d = x.shape
        q, k, v = self.qkv(x).reshape(n, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        attention = ((q @ k.transpose(-2, -1)) * self.scale).softmax(dim=-1)
        return self.proj((attention @ v).transpose(1, 2).reshape(n, t, d))


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class VitBlock(nn.Module):
    """Pre-norm transformer block, LayerNorm eps 1e-6."""

    def __init__(self, dim, heads, mlp_ratio):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, dim * mlp_ratio)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class MimNetwork(nn.Module):
    """Encoder (three conv stages, fusion convs, ViT), decoder and norm-pix loss of one masked level."""

    def __init__(self, input_size, dims, depths, heads, decoder_dim, decoder_depth, decoder_heads, mlp_ratio=4):
        super().__init__()
        self.input_size = input_size
        self.grid = input_size // 16
        tokens = self.grid**3
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens, dims[3]), requires_grad=False)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_dim))
        self.decoder_pos_embed = nn.Parameter(torch.zeros(1, tokens, decoder_dim), requires_grad=False)
        self.patch_embed1 = PatchEmbed(1, dims[0])
        self.patch_embed2 = PatchEmbed(dims[0], dims[1])
        self.patch_embed3 = PatchEmbed(dims[1], dims[2])
        self.patch_embed4 = PatchEmbed(dims[2], dims[3])
        self.patch_embed5 = nn.Linear(dims[3], dims[3])
        for stage, factor in ((1, 8), (2, 4), (3, 2)):
            setattr(self, f"stage{stage}_output_decode", nn.Conv3d(dims[stage - 1], dims[3], factor, stride=factor))
        for stage in (1, 2, 3):
            setattr(self, f"blocks{stage}", nn.ModuleList(ConvBlock(dims[stage - 1], mlp_ratio) for _ in range(depths[stage - 1])))
        self.blocks4 = nn.ModuleList(VitBlock(dims[3], heads, mlp_ratio) for _ in range(depths[3]))
        self.norm = nn.LayerNorm(dims[3], eps=1e-6)
        self.decoder_embed = nn.Linear(dims[3], decoder_dim)
        self.decoder_blocks = nn.ModuleList(VitBlock(decoder_dim, decoder_heads, mlp_ratio) for _ in range(decoder_depth))
        self.decoder_norm = nn.LayerNorm(decoder_dim, eps=1e-6)
        self.decoder_pred = nn.Linear(decoder_dim, 16**3)

    @staticmethod
    def from_config(config):
        """A network of the sizes in a MiM config dictionary (the fixture's or the C# bench's)."""
        return MimNetwork(
            config["input_size"], config["embed_dims"], config["depths"], config["num_heads"],
            config["decoder_dim"], config["decoder_depth"], config["decoder_heads"], config.get("mlp_ratio", 4))

    def load(self, tensors):
        """Copies the official-name tensors this network has; the MiM-only projectors (aggregate_*) are not part of it."""
        own = self.state_dict()
        missing = [k for k in own if k not in tensors]
        if missing:
            raise KeyError(f"weights lack {len(missing)} keys, first {missing[:5]}")
        with torch.no_grad():
            for name, target in own.items():
                if tuple(target.shape) != tuple(tensors[name].shape):
                    raise ValueError(f"{name}: expected {tuple(target.shape)}, found {tuple(tensors[name].shape)}")
                target.copy_(tensors[name])

    def encode(self, x, mask=None):
        """Visible-token features after the final norm; every token when mask is None. Returns (latent, ids_keep, ids_restore)."""
        n = x.shape[0]
        visible = None if mask is None else (1 - mask).reshape(n, 1, self.grid, self.grid, self.grid)
        stage_tokens = []
        for stage, factor in ((1, 8), (2, 4), (3, 2)):
            x = getattr(self, f"patch_embed{stage}")(x)
            v = None
            if visible is not None:
                v = visible.repeat_interleave(factor, 2).repeat_interleave(factor, 3).repeat_interleave(factor, 4)
            for block in getattr(self, f"blocks{stage}"):
                x = block(x, v)
            stage_tokens.append(getattr(self, f"stage{stage}_output_decode")(x).flatten(2).transpose(1, 2))
        tokens = self.patch_embed5(self.patch_embed4(x).flatten(2).transpose(1, 2)) + self.pos_embed
        ids_keep = ids_restore = None
        if mask is not None:
            order = torch.argsort(mask, dim=1, stable=True)
            keep = int((mask[0] == 0).sum())
            ids_keep = order[:, :keep]
            ids_restore = torch.argsort(order, dim=1)
            index = ids_keep.unsqueeze(-1).expand(-1, -1, tokens.shape[2])
            tokens = tokens.gather(1, index)
            stage_tokens = [s.gather(1, index) for s in stage_tokens]
        for block in self.blocks4:
            tokens = block(tokens)
        for s in stage_tokens:
            tokens = tokens + s
        return self.norm(tokens), ids_keep, ids_restore

    def decode(self, latent, ids_restore):
        """(prediction [N, T, 4096], decoder features [N, T, D]) for every token."""
        x = self.decoder_embed(latent)
        n, visible, d = x.shape
        tokens = ids_restore.shape[1]
        x = torch.cat([x, self.mask_token.expand(n, tokens - visible, d)], dim=1)
        x = x.gather(1, ids_restore.unsqueeze(-1).expand(-1, -1, d)) + self.decoder_pos_embed
        for block in self.decoder_blocks:
            x = block(x)
        features = self.decoder_norm(x)
        return self.decoder_pred(features), features

    def patchify(self, x):
        """[N, 1, S, S, S] → [N, T, 16³], tokens and voxels row-major."""
        n, g = x.shape[0], self.grid
        return x.reshape(n, g, 16, g, 16, g, 16).permute(0, 1, 3, 5, 2, 4, 6).reshape(n, g**3, 16**3)

    def loss(self, x, prediction, mask):
        """Norm-pix MSE over the masked tokens; per-token target standardised with the unbiased variance."""
        target = self.patchify(x)
        mean = target.mean(dim=-1, keepdim=True)
        variance = target.var(dim=-1, keepdim=True, unbiased=True)
        target = (target - mean) / (variance + 1e-6) ** 0.5
        per_token = ((prediction - target) ** 2).mean(dim=-1)
        return (per_token * mask).sum() / mask.sum()

    def reconstruction_loss(self, x, mask):
        latent, _, ids_restore = self.encode(x, mask)
        prediction, _ = self.decode(latent, ids_restore)
        return self.loss(x, prediction, mask)


def check_fixtures(folder):
    """Largest absolute difference from the authors' outputs over the base and perturbed fixture sets."""
    config = json.load(open(f"{folder}/mim_tiny_config.json"))["constructor_kwargs"]
    network = MimNetwork(
        config["img_size"][0][0], config["embed_dim"], config["depth"], config["num_heads"],
        config["decoder_embed_dim"], config["decoder_depth"], config["decoder_num_heads"], config["mlp_ratio"][0])
    weights = read_safetensors(f"{folder}/mim_tiny.safetensors")
    io = read_safetensors(f"{folder}/mim_tiny_io.safetensors")
    worst = 0.0
    for label, delta, expected in (
        ("base", {}, io),
        ("perturbed", read_safetensors(f"{folder}/mim_tiny_perturbed_delta.safetensors"), read_safetensors(f"{folder}/mim_tiny_perturbed_io.safetensors")),
    ):
        network.load({**weights, **delta})
        with torch.no_grad():
            latent, ids_keep, ids_restore = network.encode(io["x"], io["mask"])
            prediction, features = network.decode(latent, ids_restore)
            loss = network.loss(io["x"], prediction, io["mask"])
        if not torch.equal(ids_keep, io["ids_keep"]) or not torch.equal(ids_restore, io["ids_restore"]):
            raise AssertionError(f"{label}: token order differs from the fixture")
        for name, actual in (("encoder_out", latent), ("pred", prediction), ("decoder_feat", features), ("loss", loss.reshape(1))):
            worst = max(worst, float((actual - expected[name]).abs().max()))
    return worst
