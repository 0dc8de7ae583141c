#!/usr/bin/env python3
"""The speed anchor: vaegan-render's networks and training step in PyTorch eager, on the CPU.

`vaegan-render bench` measures our engine; this measures the same work in PyTorch on the same
cores, so that BENCHMARKS.md can state our times as ratios to a widely used implementation taken
in one sitting (absolute times differ too much between machines to mean anything alone).

What it times, on random MNIST-shaped data at batch 64 (median of --repeats after warm-up):
  d_step_ms            one discriminator step: encode and decode without gradients, D on the
                       real, reconstructed and generated images, L_GAN backward, RMSProp;
  g_step_ms            one generator step: one forward, L_enc backward into the encoder and
                       L_dec into the decoder (D frozen), two RMSProp updates;
  iteration_ms         a D step then a G step (the loop's iteration when neither repeats);
  snapshot_decodes_ms  a snapshot's manifolds: 10 labels x 225 decodes, one batch per label.
in each precision asked: fp32, and bf16 as PyTorch's mixed precision runs it (the forward passes
under torch.autocast("cpu", dtype=torch.bfloat16): convolutions and linear layers take bf16
operands, weights and optimiser state stay float32).

The networks are those of docs/MODEL.md section 2, with the figures variant's losses. Where
PyTorch differs from TensorFlow, the shapes and work stay the same: symmetric padding instead of
TensorFlow's 'same' (one row and column less of zeros), PyTorch's initialisation, its own dropout
masks. None changes the time.

Run it through scripts/anchor.sh, which makes its pinned environment. Prints one JSON object.
"""
import argparse
import json
import os
import platform

import torch
import torch.nn as nn
import torch.nn.functional as F

from timing import BATCH, GRID, manifold_codes, median_ms

LATENT, CLASSES, DROPOUT, ALPHA = 8, 10, 0.3, 0.3


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, stride=2, padding=1)       # 28 -> 14
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)                # 7 -> 7
        self.dense = nn.Linear(7 * 7 * 64 + CLASSES, 64)
        self.mean, self.log_var = nn.Linear(64, LATENT), nn.Linear(64, LATENT)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x, y):
        h = self.drop(F.leaky_relu(self.conv1(x), ALPHA))
        h = F.max_pool2d(h, 2, ceil_mode=True)                     # 14 -> 7
        h = self.drop(F.leaky_relu(self.conv2(h), ALPHA))
        h = self.drop(F.leaky_relu(self.dense(torch.cat([h.flatten(1), y], 1)), ALPHA))
        return self.mean(h), self.log_var(h)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(LATENT + CLASSES, 7 * 7 * 128)
        self.conv1 = nn.Conv2d(128, 64, 5, padding=2)
        self.conv2 = nn.Conv2d(64, 32, 3, padding=1)
        self.conv3 = nn.Conv2d(32, 1, 5, padding=2)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, z, y):
        h = self.drop(F.leaky_relu(self.dense(torch.cat([z, y], 1)), ALPHA)).view(-1, 128, 7, 7)
        h = F.interpolate(h, scale_factor=2, mode="nearest")        # 7 -> 14
        h = self.drop(F.leaky_relu(self.conv1(h), ALPHA))
        h = F.interpolate(self.conv2(h), scale_factor=2, mode="nearest")  # 14 -> 28
        h = self.drop(F.leaky_relu(h, ALPHA))
        return torch.sigmoid(self.conv3(h))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 128, 7, stride=2, padding=3)     # 28 -> 14
        self.conv2 = nn.Conv2d(128 + CLASSES, 64, 3, padding=1)
        self.l_conv = nn.Conv2d(64, 16, 3, padding=1)              # the similarity features l
        self.dense = nn.Linear(4 * 4 * 64, 1)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x, y, with_l):
        h = self.drop(F.leaky_relu(F.max_pool2d(self.conv1(x), 2, ceil_mode=True), ALPHA))  # 14 -> 7
        planes = y[:, :, None, None].expand(-1, -1, h.shape[2], h.shape[3])
        h = F.max_pool2d(self.conv2(torch.cat([h, planes], 1)), 2, ceil_mode=True)     # 7 -> 4
        h = self.drop(F.leaky_relu(h, ALPHA))
        l = self.l_conv(h) if with_l else None     # computed only where a loss reads it, as in TF
        d = torch.sigmoid(self.dense(self.drop(F.leaky_relu(h, ALPHA)).flatten(1)))
        return d, l


def rmsprop(params, lr):  # TensorFlow 1's defaults: decay 0.9, no momentum, epsilon 1e-10
    return torch.optim.RMSprop(params, lr=lr, alpha=0.9, eps=1e-10)


class Model:
    def __init__(self, precision):
        self.enc, self.dec, self.dis = Encoder(), Decoder(), Discriminator()
        self.opt_enc = rmsprop(self.enc.parameters(), 1e-3)
        self.opt_dec = rmsprop(self.dec.parameters(), 3e-4)
        self.opt_dis = rmsprop(self.dis.parameters(), 1e-3)
        self.bf16 = precision == "bf16"

    def autocast(self):
        return torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16)

    @staticmethod
    def sample(mean, log_var):
        return mean + torch.exp(torch.clamp(log_var / 2, -2, 2)) * torch.randn_like(mean)

    @staticmethod
    def l_gan(d_real, d_gen, d_rec):  # averaged over the batch (the figures variant)
        eps = 1e-10
        return -0.25 * torch.sum(torch.log(d_real + eps) + 2 * torch.log(1 - d_gen + eps)
                                 + torch.log(1 - d_rec + eps)) / d_real.shape[0]

    def d_step(self, x, y, zp):
        with self.autocast():
            with torch.no_grad():
                mean, log_var = self.enc(x, y)
                rec, gen = self.dec(self.sample(mean, log_var), y), self.dec(zp, y)
            loss = self.l_gan(self.dis(x, y, False)[0].float(), self.dis(gen, y, False)[0].float(),
                              self.dis(rec, y, False)[0].float())
        self.opt_dis.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_dis.step()

    def g_step(self, x, y, zp):
        for p in self.dis.parameters():
            p.requires_grad_(False)
        with self.autocast():
            mean, log_var = self.enc(x, y)
            rec, gen = self.dec(self.sample(mean, log_var), y), self.dec(zp, y)
            d_real, l_real = self.dis(x, y, True)
            d_gen, _ = self.dis(gen, y, False)
            d_rec, l_rec = self.dis(rec, y, True)
        mean, log_var = mean.float(), log_var.float()
        clipped = torch.clamp(log_var, -2, 2)
        prior = -0.125 * torch.sum(1 + clipped - mean * mean - torch.exp(clipped)) / 784
        gan = self.l_gan(d_real.float(), d_gen.float(), d_rec.float())
        llike = F.binary_cross_entropy_with_logits(l_rec.float(), torch.sigmoid(l_real.float()), reduction="sum") / 784
        self.opt_enc.zero_grad(set_to_none=True)
        self.opt_dec.zero_grad(set_to_none=True)
        (llike + prior).backward(inputs=list(self.enc.parameters()), retain_graph=True)
        (0.5 * llike - gan).backward(inputs=list(self.dec.parameters()))
        self.opt_enc.step()
        self.opt_dec.step()
        for p in self.dis.parameters():
            p.requires_grad_(True)

    def snapshot(self, codes, labels):
        self.dec.eval()
        with torch.no_grad(), self.autocast():
            for label in range(CLASSES):
                self.dec(codes, labels[label])
        self.dec.train()


def measure(precision, repeats):
    torch.manual_seed(0)
    model = Model(precision)
    x = torch.rand(BATCH, 1, 28, 28)
    y = F.one_hot(torch.randint(0, CLASSES, (BATCH,)), CLASSES).float()
    zp = torch.randn(BATCH, LATENT)
    codes = torch.from_numpy(manifold_codes(LATENT))
    labels = [F.one_hot(torch.full((GRID * GRID,), c), CLASSES).float() for c in range(CLASSES)]
    return {
        "d_step_ms": median_ms(repeats, lambda: model.d_step(x, y, zp)),
        "g_step_ms": median_ms(repeats, lambda: model.g_step(x, y, zp)),
        "iteration_ms": median_ms(repeats, lambda: (model.d_step(x, y, zp), model.g_step(x, y, zp))),
        "snapshot_decodes_ms": median_ms(max(1, repeats // 3), lambda: model.snapshot(codes, labels)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--precision", action="append", choices=["fp32", "bf16"],
                        help="fp32 or bf16; give it twice for both (default: both)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    precisions = args.precision or ["fp32", "bf16"]
    result = {"torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
              "threads": args.threads, "batch": BATCH, "machine": platform.processor() or platform.machine(),
              "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
              "precisions": {p: measure(p, args.repeats) for p in precisions}}
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
