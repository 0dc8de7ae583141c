#!/usr/bin/env python3
"""The notebook's own framework as a speed anchor: the same D+G iteration and snapshot in TensorFlow.

`vaegan-render bench` measures our engine and scripts/anchor/torch_anchor.py PyTorch; this
measures TensorFlow 2 on the same work, the framework the notebook was written for (it ran
TensorFlow 1's graphs through Keras). The model is the TensorFlow reference's
(scripts/reference/tf_reference.py: the same raw ops that make the test fixtures), with the
figures variant's losses, dropout 0.3 after the activations while training, and TensorFlow 1's
RMSProp written out (decay 0.9, epsilon 1e-10, no momentum).

Three ways to run it (--mode):
  eager     op by op from Python, as TensorFlow 2 runs by default;
  function  each step traced once into a graph (tf.function), the closest to the notebook's
            TF1 session.run;
  xla       the same graphs compiled by XLA (tf.function(jit_compile=True)), the upsampling
            written as a broadcast (XLA cannot compile the gradient of TensorFlow's resize op).
Unlike the reference, oneDNN's kernels are on (TensorFlow's default on x86-64): this is about
speed, not bit-for-bit numbers.

What it times, on random MNIST-shaped data at batch 64 (median of --repeats after warm-up, which
also traces and compiles): d_step_ms, g_step_ms, iteration_ms (a D step then a G step) and
snapshot_decodes_ms (10 labels x 225 decodes, one batch per label), as torch_anchor.py names them,
under "precisions": {"fp32": ...} so that `vaegan-render bench --anchor FILE` reads it.

Run it through `bash scripts/anchor.sh tensorflow --mode xla`, which uses the reference's pinned
environment. Prints one JSON object.
"""
import argparse
import json
import os
import platform
import sys

os.environ["TF_ENABLE_ONEDNN_OPTS"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference"))

import numpy as np  # noqa: E402
import tf_reference as ref  # noqa: E402
from timing import BATCH, GRID, manifold_codes, median_ms  # noqa: E402

DROPOUT = 0.3


def build(tf, mode):
    class Training(ref.Model):
        """The reference's networks, with dropout after each activation while training."""
        training = True

        def a(self, x):
            y = super().a(x)
            return tf.nn.dropout(y, rate=DROPOUT) if self.training else y

        def up(self, x):
            # Under XLA, nearest x2 as a broadcast: the same values as resize_nearest_neighbor
            # (Keras' UpSampling2D), whose gradient XLA's CPU backend cannot compile.
            if mode != "xla":
                return super().up(x)
            n, h, w, c = x.shape
            doubled = tf.broadcast_to(x[:, :, None, :, None, :], [n, h, 2, w, 2, c])
            return tf.reshape(doubled, [n, 2 * h, 2 * w, c])

    model = Training(tf, "figures")
    weights = ref.variables(tf, ref.glorot_weights(0))
    rms = {n: tf.Variable(tf.ones_like(weights[n])) for n in ref.TENSORS}
    by_net = {net: [n for n in ref.TENSORS if ref.network_of(n) == net] for net in ref.NETWORKS}

    def apply(names, gradients):
        for n, g in zip(names, gradients):
            if g is None:
                continue
            rms[n].assign(0.9 * rms[n] + 0.1 * tf.square(g))
            weights[n].assign_sub(ref.LEARNING_RATE[ref.network_of(n)] * g / tf.sqrt(rms[n] + 1e-10))

    def d_step(x, y, eps, zp):
        seen = {}
        _, _, z = model.encoder(weights, x, y, eps, seen, "enc")
        reconstructed = tf.stop_gradient(model.decoder(weights, z, y))
        generated = tf.stop_gradient(model.decoder(weights, zp, y))
        names = by_net["discriminator"]
        with tf.GradientTape() as tape:
            d_real, _ = model.discriminator(weights, x, y, seen, "x")
            d_gen, _ = model.discriminator(weights, generated, y, seen, "g")
            d_rec, _ = model.discriminator(weights, reconstructed, y, seen, "r")
            gan = -0.25 * tf.reduce_mean(tf.math.log(d_real + 1e-10) + 2 * tf.math.log(1. - d_gen + 1e-10)
                                         + tf.math.log(1. - d_rec + 1e-10))
        apply(names, tape.gradient(gan, [weights[n] for n in names]))

    def g_step(x, y, eps, zp):
        with tf.GradientTape(persistent=True) as tape:
            losses = model.losses(weights, {"x": x, "y": y, "eps": eps, "zp": zp}, {})
        for net, loss in (("encoder", "L_enc"), ("decoder", "L_dec")):
            names = by_net[net]
            apply(names, tape.gradient(losses[loss], [weights[n] for n in names]))
        del tape

    def decode(codes, labels):
        return model.decoder(weights, codes, labels)

    if mode != "eager":
        compile_ = {"jit_compile": True} if mode == "xla" else {}
        d_step, g_step, decode = (tf.function(f, **compile_) for f in (d_step, g_step, decode))
    return model, d_step, g_step, decode


def measure(tf, mode, repeats):
    model, d_step, g_step, decode = build(tf, mode)
    rng = np.random.default_rng(0)
    x = tf.constant(rng.random((BATCH, 28, 28, 1), np.float32))
    y = tf.constant(np.eye(ref.CLASSES, dtype=np.float32)[rng.integers(0, ref.CLASSES, BATCH)])
    eps = tf.constant(rng.standard_normal((BATCH, ref.LATENT)).astype(np.float32))
    zp = tf.constant(rng.standard_normal((BATCH, ref.LATENT)).astype(np.float32))
    codes = tf.constant(manifold_codes(ref.LATENT))
    labels = [tf.constant(np.tile(np.eye(ref.CLASSES, dtype=np.float32)[c], (GRID * GRID, 1)))
              for c in range(ref.CLASSES)]

    def snapshot():
        model.training = False
        for label in labels:
            decode(codes, label).numpy()
        model.training = True

    def sync(step):  # eager ops may still be running when the call returns
        def run():
            step(x, y, eps, zp)
            float(tf.reduce_sum(eps))
        return run

    return {
        "d_step_ms": median_ms(repeats, sync(d_step), warmups=2),
        "g_step_ms": median_ms(repeats, sync(g_step), warmups=2),
        "iteration_ms": median_ms(repeats, lambda: (sync(d_step)(), sync(g_step)()), warmups=2),
        "snapshot_decodes_ms": median_ms(max(1, repeats // 3), snapshot, warmups=2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["eager", "function", "xla"], default="function")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--inter-op-threads", type=int,
                        help="independent ops run at once (default: --threads; 1 measured 0-9%% slower here)")
    args = parser.parse_args()
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    tf.config.threading.set_intra_op_parallelism_threads(args.threads)
    tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads or args.threads)
    result = {"tensorflow": tf.__version__, "mode": args.mode, "onednn": os.environ["TF_ENABLE_ONEDNN_OPTS"] == "1",
              "threads": args.threads, "inter_op_threads": args.inter_op_threads or args.threads, "batch": BATCH,
              "machine": platform.processor() or platform.machine(),
              "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
              "precisions": {"fp32": measure(tf, args.mode, args.repeats)}}
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
