#!/usr/bin/env python3
"""The TensorFlow reference that makes the test fixtures (Tests/VAEGANTests/Fixtures).

vaegan-render's engine is its own code; this file is the same model written with TensorFlow's
kernels, wired as the notebook's Keras 2 layers call them, so that the tests can hold the engine
to numbers nobody computed by hand: losses, every gradient, one step of TensorFlow 1's RMSProp and
a decoded manifold grid. It runs eagerly with float32 tensors, dropout off (Keras' learning phase
0), deterministic ops and oneDNN off (TensorFlow 1's CPU kernels were plain Eigen).

The model (docs/MODEL.md section 2), in TensorFlow's terms:
  A(x)          LeakyReLU 0.3 as Keras 2 computed it, relu(x) - 0.3 relu(-x) (slope 0 at x = 0)
  conv, dense   tf.nn.conv2d 'SAME' + bias_add; tf.matmul + bias_add; kernels in Keras layout
  pool, up      tf.nn.max_pool2d 2x2 'SAME'; resize_nearest_neighbor x2 (Keras' UpSampling2D)
  encoder       conv 3x3/2 · A · pool · conv 3x3 · A · flatten ++ label · dense 64 · A · z_mean, z_log_var
                z = z_mean + exp(clip(z_log_var / 2, -2, 2)) * eps
  decoder       z ++ label · dense 7*7*128 · A · up · conv 5x5 · A · conv 3x3 · up · A · conv 5x5 · sigmoid
  discriminator conv 7x7/2 · pool · A · ++ label planes · conv 3x3 · pool · A -> l = conv 3x3 (16),
                and A again · flatten · dense 1 · sigmoid -> D
The losses of the three variants (--variant; docs/MODEL.md section 3) differ in four numbers: the
KL term's factor, L_GAN's divisor, L_dis_llike's distance and the decoder's gamma.

Sub-commands (scripts/make_fixtures.sh runs them in this order):
  init     Glorot-uniform weights from numpy's default_rng(seed), zero biases -> safetensors
  batch    64 MNIST training digits, their labels, eps and z_p, all from default_rng(seed) -> npz
  forward  the losses (JSON) and, with --dump, z, the activations and every gradient -> npz
  step     the loop's steps (--order dg: a D step, then a G step) with TF1 RMSProp -> safetensors
  grid     the 15x15 manifold of one label, decoded one code at a time as the notebook did -> npy
Set-up and the pinned versions: scripts/make_fixtures.sh.
"""
import argparse
import gzip
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

LATENT, CLASSES, ALPHA = 8, 10, 0.3
LEARNING_RATE = {"encoder": 1e-3, "decoder": 3e-4, "discriminator": 1e-3}
NETWORKS = ("encoder", "decoder", "discriminator")
# Each layer's kernel shape, in the order Keras creates them; each has a bias of its last dimension.
LAYERS = {
    "encoder.conv1": (3, 3, 1, 32), "encoder.conv2": (3, 3, 32, 64),
    "encoder.dense1": (7 * 7 * 64 + CLASSES, 64), "encoder.z_mean": (64, LATENT), "encoder.z_log_var": (64, LATENT),
    "decoder.dense1": (LATENT + CLASSES, 7 * 7 * 128), "decoder.conv1": (5, 5, 128, 64),
    "decoder.conv2": (3, 3, 64, 32), "decoder.conv3": (5, 5, 32, 1),
    "discriminator.conv1": (7, 7, 1, 128), "discriminator.conv2": (3, 3, 128 + CLASSES, 64),
    "discriminator.l_conv": (3, 3, 64, 16), "discriminator.d_dense": (4 * 4 * 64, 1),
}
TENSORS = [layer + part for layer in LAYERS for part in (".kernel", ".bias")]


def shape_of(name):
    kernel = LAYERS[name.rsplit(".", 1)[0]]
    return kernel if name.endswith(".kernel") else (kernel[-1],)


def network_of(name):
    return name.split(".")[0]


def tensorflow():
    import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    tf.config.experimental.enable_op_determinism()
    return tf


class Model:
    """The three networks and the losses of one variant, as functions of a dict of weights."""

    def __init__(self, tf, variant):
        self.tf, self.variant = tf, variant

    def a(self, x):
        tf = self.tf
        negative = tf.nn.relu(-x)
        return tf.nn.relu(x) - tf.constant(ALPHA, x.dtype) * negative

    def conv(self, x, w, layer, stride=1):
        y = self.tf.nn.conv2d(x, w[layer + ".kernel"], strides=[1, stride, stride, 1], padding="SAME")
        return self.tf.nn.bias_add(y, w[layer + ".bias"])

    def dense(self, x, w, layer):
        return self.tf.nn.bias_add(self.tf.matmul(x, w[layer + ".kernel"]), w[layer + ".bias"])

    def pool(self, x):
        return self.tf.nn.max_pool2d(x, ksize=2, strides=2, padding="SAME")

    def up(self, x):
        return self.tf.compat.v1.image.resize_nearest_neighbor(x, [2 * x.shape[1], 2 * x.shape[2]])

    def encoder(self, w, x, y, eps, seen, tag):
        tf = self.tf
        h = self.pool(self.a(self.conv(x, w, "encoder.conv1", 2)))
        h = self.a(self.conv(h, w, "encoder.conv2"))
        h = self.a(self.dense(tf.concat([tf.reshape(h, [-1, 7 * 7 * 64]), y], axis=-1), w, "encoder.dense1"))
        mean, log_var = self.dense(h, w, "encoder.z_mean"), self.dense(h, w, "encoder.z_log_var")
        seen[tag + ".z_mean"], seen[tag + ".z_log_var"] = mean, log_var
        return mean, log_var, mean + tf.exp(tf.clip_by_value(log_var / 2, -2.0, 2.0)) * eps

    def decoder(self, w, z, y, seen=None, tag="dec"):
        tf = self.tf
        h = self.a(self.dense(tf.concat([z, y], axis=-1), w, "decoder.dense1"))
        h = self.a(self.conv(self.up(tf.reshape(h, [-1, 7, 7, 128])), w, "decoder.conv1"))
        h = self.a(self.up(self.conv(h, w, "decoder.conv2")))
        image = tf.sigmoid(self.conv(h, w, "decoder.conv3"))
        if seen is not None:
            seen[tag + ".out"] = image
        return image

    def discriminator(self, w, image, y, seen, tag):
        tf = self.tf
        h = self.a(self.pool(self.conv(image, w, "discriminator.conv1", 2)))
        planes = tf.reshape(tf.tile(tf.expand_dims(y, 1), [1, 49, 1]), [tf.shape(h)[0], 7, 7, CLASSES])
        h = self.a(self.pool(self.conv(tf.concat([h, planes], axis=-1), w, "discriminator.conv2")))
        l = self.conv(h, w, "discriminator.l_conv")
        d = tf.sigmoid(self.dense(tf.reshape(self.a(h), [-1, 4 * 4 * 64]), w, "discriminator.d_dense"))
        seen[tag + ".l"], seen[tag + ".d"] = l, d
        return d, l

    def losses(self, w, batch, seen):
        """The notebook's graph on one batch: every loss, each summed and divided by 28 * 28
        where the notebook does."""
        tf = self.tf
        x, y = batch["x"], batch["y"]
        mean, log_var, z = self.encoder(w, x, y, batch["eps"], seen, "enc")
        reconstructed = self.decoder(w, z, y, seen, "dec_x")
        generated = self.decoder(w, batch["zp"], y, seen, "dec_zp")
        d_real, l_real = self.discriminator(w, x, y, seen, "dis_x")
        d_reconstructed, l_reconstructed = self.discriminator(w, reconstructed, y, seen, "dis_dec_x")
        d_generated, _ = self.discriminator(w, generated, y, seen, "dis_dec_zp")
        clipped = tf.clip_by_value(log_var, -2.0, 2.0)
        kl_factor = -0.125 if self.variant == "figures" else -0.5
        prior = kl_factor * tf.reduce_sum(1. + clipped - tf.square(mean) - tf.exp(clipped)) / 28 / 28
        bracket = (tf.math.log(d_real + 1e-10) + 2 * tf.math.log(1. - d_generated + 1e-10)
                   + tf.math.log(1. - d_reconstructed + 1e-10))
        if self.variant == "printed":
            gan = -1 / 4 * tf.reduce_sum(bracket) / 28 / 28
        else:
            gan = -1 / 4 * tf.reduce_mean(bracket)
        if self.variant == "published":
            llike = tf.reduce_sum(tf.square(l_real - l_reconstructed)) / 28 / 28
        else:
            llike = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
                labels=tf.sigmoid(l_real), logits=l_reconstructed)) / 28 / 28
        gamma = 0.5 if self.variant == "figures" else 1.0
        return {"L_prior": prior, "L_GAN": gan, "L_dis_llike": llike,
                "L_enc": llike + prior, "L_dec": gamma * llike - gan, "L_dis": gan}


# Which loss trains which network.
TRAINED_BY = {"encoder": "L_enc", "decoder": "L_dec", "discriminator": "L_dis"}


def forward(tf, model, weights, batch):
    """The losses, each network's gradient of its loss (None where it does not reach a tensor:
    the l conv), and what the pass saw (z, activations)."""
    seen = {}
    with tf.GradientTape(persistent=True) as tape:
        losses = model.losses(weights, batch, seen)
    gradients = {}
    for net in NETWORKS:
        names = [n for n in TENSORS if network_of(n) == net]
        got = tape.gradient(losses[TRAINED_BY[net]], [weights[n] for n in names],
                            unconnected_gradients=tf.UnconnectedGradients.NONE)
        gradients.update({n: (None if g is None else g.numpy()) for n, g in zip(names, got)})
    return ({k: v.numpy() for k, v in losses.items()}, gradients, {k: v.numpy() for k, v in seen.items()})


def read_weights(path):
    from safetensors.numpy import load_file
    stored = load_file(path)
    for name in TENSORS:
        if name not in stored or tuple(stored[name].shape) != shape_of(name):
            raise SystemExit(f"{path}: tensor {name} is missing or not of shape {shape_of(name)}")
    return {n: np.ascontiguousarray(stored[n], np.float32) for n in TENSORS}


def write_weights(weights, path):
    from safetensors.numpy import save_file
    save_file({n: np.ascontiguousarray(weights[n], np.float32) for n in TENSORS}, path)


def variables(tf, weights):
    return {n: tf.Variable(weights[n], name=n.replace(".", "_")) for n in TENSORS}


def read_batch(tf, path):
    stored = np.load(path)
    return {k: tf.constant(np.asarray(stored[k], np.float32)) for k in ("x", "y", "eps", "zp")}


def glorot_weights(seed):
    """Keras' default initialisation: Glorot-uniform kernels from default_rng(seed), zero biases."""
    rng = np.random.default_rng(seed)
    weights = {}
    for layer, shape in LAYERS.items():
        receptive = shape[0] * shape[1] if len(shape) == 4 else 1
        fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        weights[layer + ".kernel"] = rng.uniform(-limit, limit, size=shape).astype(np.float32)
        weights[layer + ".bias"] = np.zeros(shape[-1], np.float32)
    return weights


def command_init(args):
    write_weights(glorot_weights(args.seed), args.out)


def read_idx(folder, name):
    """An IDX file of `folder`, gzipped (name.gz) or not."""
    path = os.path.join(folder, name)
    with (gzip.open(path + ".gz", "rb") if os.path.exists(path + ".gz") else open(path, "rb")) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def command_batch(args):
    rng = np.random.default_rng(args.seed)
    images = read_idx(args.mnist_dir, "train-images-idx3-ubyte")
    labels = read_idx(args.mnist_dir, "train-labels-idx1-ubyte")
    chosen = rng.permutation(len(labels))[:args.n]
    x = (images[chosen].astype(np.float32) / 255.0).reshape(args.n, 28, 28, 1)
    y = np.eye(CLASSES, dtype=np.float32)[labels[chosen].astype(np.int64)]
    eps = rng.standard_normal((args.n, LATENT)).astype(np.float32)
    zp = rng.standard_normal((args.n, LATENT)).astype(np.float32)
    np.savez(args.out, x=x, y=y, eps=eps, zp=zp)


def loss_values(values):
    return {k: float(values[k]) for k in ("L_prior", "L_GAN", "L_dis_llike", "L_enc", "L_dec", "L_dis")}


def command_forward(args):
    tf = tensorflow()
    weights = variables(tf, read_weights(args.weights))
    values, gradients, seen = forward(tf, Model(tf, args.variant), weights, read_batch(tf, args.batch))
    if args.dump:
        dump = {"z_mean": seen["enc.z_mean"], "z_log_var": seen["enc.z_log_var"]}
        dump.update({"grad." + n: g for n, g in gradients.items() if g is not None})
        dump.update({"act." + k: v for k, v in seen.items() if not k.startswith("enc.")})
        np.savez(args.dump, **dump)
    print(json.dumps({"variant": args.variant, "losses": loss_values(values)}))


def command_step(args):
    """TF1's sess.run of the loop's steps: each step one forward, then its optimisers apply the
    gradients that reach their tensors (the l conv's none). A G step applies the encoder's and
    the decoder's from the same forward."""
    tf = tensorflow()
    before = read_weights(args.weights)
    weights = variables(tf, before)
    batch = read_batch(tf, args.batch)
    model = Model(tf, args.variant)
    optimisers = {net: tf.compat.v1.train.RMSPropOptimizer(LEARNING_RATE[net], decay=0.9, momentum=0.0, epsilon=1e-10)
                  for net in NETWORKS}

    def apply(gradients, net):
        pairs = [(tf.constant(gradients[n]), weights[n]) for n in TENSORS
                 if network_of(n) == net and gradients[n] is not None]
        optimisers[net].apply_gradients(pairs)
        return [n for n in TENSORS if network_of(n) == net and gradients[n] is None]

    log = []
    for phase in args.order:
        values, gradients, _ = forward(tf, model, weights, batch)
        entry = {"phase": phase.upper()}
        entry.update({k: float(values[k]) for k in ("L_prior", "L_GAN", "L_dis_llike")})
        if phase == "g":
            apply(gradients, "encoder")
            apply(gradients, "decoder")
        else:
            entry["not_updated"] = apply(gradients, "discriminator")
        log.append(entry)
    values, _, _ = forward(tf, model, weights, batch)
    after = {"phase": "after"}
    after.update({k: float(values[k]) for k in ("L_prior", "L_GAN", "L_dis_llike")})
    log.append(after)
    write_weights({n: weights[n].numpy() for n in TENSORS}, args.out)
    from safetensors.numpy import save_file
    slots = {}
    for n in TENSORS:
        slot = optimisers[network_of(n)].get_slot(weights[n], "rms")
        if slot is not None:
            slots[n + ".rms"] = slot.numpy()
    save_file(slots, args.slots_out)
    print(json.dumps({"order": args.order, "log": log}))


def command_grid(args):
    """The notebook's loop: cell (row i, column j) decodes z with z[0] = grid[j], z[1] = grid[i],
    the other dimensions 0, one code per call."""
    from scipy.stats import norm
    tf = tensorflow()
    weights = variables(tf, read_weights(args.weights))
    model = Model(tf, args.variant)
    decode = tf.function(lambda z, label: model.decoder(weights, z, label))
    cells = 15
    grid = norm.ppf(np.linspace(0.05, 0.95, cells))
    label = np.zeros((1, CLASSES), np.float32)
    label[0, args.label] = 1
    figure = np.zeros((28 * cells, 28 * cells))
    for i, row in enumerate(grid):
        for j, column in enumerate(grid):
            z = np.zeros((1, LATENT), np.float32)
            z[:, :2] = np.array([[column, row]])
            digit = decode(tf.constant(z), tf.constant(label)).numpy()[0, :, :, 0]
            figure[i * 28:(i + 1) * 28, j * 28:(j + 1) * 28] = digit
    np.save(args.out, figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    c = commands.add_parser("init")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--out", required=True)
    c = commands.add_parser("batch")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--n", type=int, default=64)
    c.add_argument("--mnist-dir", required=True, help="folder with MNIST's IDX files (gzipped or not)")
    c.add_argument("--out", required=True)
    for name in ("forward", "step", "grid"):
        c = commands.add_parser(name)
        c.add_argument("--weights", required=True)
        c.add_argument("--variant", choices=["printed", "published", "figures"], required=True)
        if name in ("forward", "step"):
            c.add_argument("--batch", required=True)
        if name == "forward":
            c.add_argument("--dump", help="npz of z, the activations and the gradients")
        if name == "step":
            c.add_argument("--order", default="dg", choices=["dg", "gd", "d", "g"])
            c.add_argument("--out", required=True)
            c.add_argument("--slots-out", required=True, help="RMSProp's mean squares after the steps")
        if name == "grid":
            c.add_argument("--label", type=int, required=True)
            c.add_argument("--out", required=True)
    args = parser.parse_args()
    {"init": command_init, "batch": command_batch, "forward": command_forward,
     "step": command_step, "grid": command_grid}[args.command](args)


if __name__ == "__main__":
    main()
