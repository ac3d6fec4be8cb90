#!/usr/bin/python3
"""Exports the real model architectures the tests and benchmarks use, with
Debian's python3-torch/torchvision and fixed random weights (no downloads):

  export_models.py OUT_DIR [NAME ...]

Names: resnet50, mobilenet_v2, efficientnet_b0 (1x3x224x224 images),
encoder (2 transformer encoder layers, d_model 256, 4 heads, 1x128x256),
convs (3x3 and depthwise convolutions on odd-sized images with bias, residual, ReLU,
ReLU6 and SiLU, 1x32x13x35: the Winograd path's edge cases), windows (depthwise
convolutions and max pooling on images large enough to pass through the kernel's
scratch in strips, 1x6x67x75) and, for benchmarks,
bert4 (4 layers, d_model 768, 12 heads, 1x128x768).
The batch dimension is exported as symbolic ("batch"). Existing files are
kept. Exits 77 when torch is missing."""
import os
import sys

MODELS = {
    "resnet50": "input=1x3x224x224",
    "mobilenet_v2": "input=1x3x224x224",
    "efficientnet_b0": "input=1x3x224x224",
    "encoder": "input=1x128x256",
    "convs": "input=1x32x13x35",
    "windows": "input=1x6x67x75",
}
# Benchmark-only: a BERT-base-like encoder, 4 layers, sequence 128.
BENCH_MODELS = {"bert4": "input=1x128x768"}


def Convs():
    """3x3 stride-1 convolutions (Winograd's, both tile sizes) over odd
    heights and widths, filter counts that are not multiples of the
    kernels' tiles, with and without bias and padding, fused residual (one
    with a bias, whose output goes into the residual's buffer), ReLU and
    ReLU6; a 1x1 one with a bias and a residual, 48 filters on 455
    pixels (row panels in pairs: the 2MR-row tile's four starts); then a
    dilated one with few filters (im2col columns read in place, output rows
    that wrap inside a vector); a depthwise one with a residual (a start the
    kernel writes per pixel); last a 1x1 one to 7 filters (a one-row panel
    after a full one), whose image the product reads in place, to a ragged
    last panel. Two SiLUs (after a Winograd convolution and the last one)
    are fused into the kernels. Last, max pooled to 5 x 8, two 1x1
    convolutions to 52 filters summed: narrow products computed transposed,
    with ragged row panels and a last column panel of 4 (micro_narrow,
    its tile stored column by column) and a residual. Beside them two
    stride-2 convolutions over zero padding that the kernel reads as zeros
    without a padded copy (3x3 and a 7x7 stem's; 18 output columns, so
    panels wrap rows in and next to the padding). And two products the
    kernel splits over K on two or more threads, their halves (240 and 241
    channels) summed by different threads and added after: a 1x1
    projection from 481 channels to 48 with a bias, a residual and a ReLU,
    and one to 64 on the pooled 6 x 8 image with a SiLU, computed
    transposed with the image's panels read in place. Last, a classifier:
    the 481 channels averaged, then a linear layer to 21 outputs (a product
    of one row, its columns' dot products eight at a time and then the last
    five one by one, K = 481 a vector's multiple and one more)."""
    import torch
    from torch import nn

    class Module(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(32, 48, 3, padding=1)
            self.b = nn.Conv2d(48, 48, 3, padding=1, bias=False)
            self.c = nn.Conv2d(48, 40, 3, padding=1)
            self.d = nn.Conv2d(40, 64, 3)
            self.e = nn.Conv2d(64, 8, 3, padding=2, dilation=2)
            self.f = nn.Conv2d(8, 8, 3, padding=1, groups=8)
            self.g = nn.Conv2d(8, 7, 1)
            self.h = nn.Conv2d(7, 52, 1)
            self.i = nn.Conv2d(7, 52, 1, bias=False)
            self.j = nn.Conv2d(48, 48, 1)
            self.k = nn.Conv2d(48, 48, 3, padding=1)
            self.l = nn.Conv2d(48, 24, 3, stride=2, padding=1)
            self.m = nn.Conv2d(32, 16, 7, stride=2, padding=3)
            self.n = nn.Conv2d(48, 481, 1)
            self.o = nn.Conv2d(481, 48, 1)
            self.p = nn.Conv2d(481, 64, 1)
            self.q = nn.Linear(481, 21)

        def forward(self, x):
            y = torch.relu(self.a(x))
            y = torch.relu(self.b(y) + y)
            y = torch.relu(self.k(y) + y)
            y = torch.relu(self.j(y) + y)
            s = torch.cat([self.l(y).flatten(1), torch.relu(self.m(x)).flatten(1)], 1)
            u = torch.relu(self.n(y))
            v = nn.functional.max_pool2d(u, (2, 4), stride=(2, 4))
            s = torch.cat([s, torch.relu(self.o(u) + y).flatten(1),
                           nn.functional.silu(self.p(v)).flatten(1),
                           self.q(u.mean((2, 3)))], 1)
            y = self.e(torch.clamp(self.d(nn.functional.silu(self.c(y))), 0, 6))
            y = nn.functional.silu(self.g(torch.clamp(self.f(y) + y, 0, 6)))
            z = nn.functional.max_pool2d(y, (2, 4), stride=(2, 4))
            return torch.cat([y.flatten(1), torch.relu(self.h(z) + self.i(z)).flatten(1), s], 1)

    return Module()


def Windows():
    """Window operations on channels too large to be copied into the
    kernel's scratch whole, which they then pass through in strips of
    rows: a dilated 5x5 depthwise convolution (67 output rows: a last
    block of three), a stride-2 one and max pooling (-inf padding rows) over
    its output, and a 1x1 stride-2 pooling, whose strips skip rows. Beside
    them a 1x1 convolution to 5 filters (a product with short K and few
    rows: its 5025 columns in L1-sized blocks, the last ragged)."""
    import torch
    from torch import nn

    class Module(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(6, 6, 5, padding=4, dilation=2, groups=6)
            self.b = nn.Conv2d(6, 6, 3, stride=2, padding=1, groups=6)
            self.c = nn.Conv2d(6, 5, 1)

        def forward(self, x):
            y = torch.relu(self.a(x))
            z = nn.functional.max_pool2d(y, 3, stride=2, padding=1)
            w = torch.cat([self.b(y) + z, nn.functional.max_pool2d(y, 1, stride=2)], 1)
            return torch.cat([w.flatten(1), self.c(y).flatten(1)], 1)

    return Module()


def build(name):
    import torch
    import torchvision
    torch.manual_seed(0)
    if name == "convs":
        return Convs(), torch.randn(1, 32, 13, 35)
    if name == "windows":
        return Windows(), torch.randn(1, 6, 67, 75)
    if name == "encoder":
        layer = torch.nn.TransformerEncoderLayer(
            d_model=256, nhead=4, dim_feedforward=1024, batch_first=True)
        return torch.nn.TransformerEncoder(layer, num_layers=2), torch.randn(1, 128, 256)
    if name == "bert4":
        layer = torch.nn.TransformerEncoderLayer(
            d_model=768, nhead=12, dim_feedforward=3072, batch_first=True)
        return torch.nn.TransformerEncoder(layer, num_layers=4), torch.randn(1, 128, 768)
    model = getattr(torchvision.models, name)()
    return model, torch.randn(1, 3, 224, 224)


def export(name, path):
    import torch
    model, example = build(name)
    model.eval()
    torch.onnx.export(model, example, path, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch"}},
                      opset_version=14)


def main():
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError:
        print("export_models: python3-torch/python3-torchvision are not installed")
        return 77
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name in sys.argv[2:] or MODELS:
        if name not in MODELS and name not in BENCH_MODELS:
            print(f"export_models: unknown model '{name}'")
            return 2
        path = os.path.join(out, name + ".onnx")
        if not os.path.exists(path):
            export(name, path + ".tmp")
            os.replace(path + ".tmp", path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
