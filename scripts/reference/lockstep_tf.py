#!/usr/bin/env python3
"""The notebook's training loop in its own framework, fed the same numbers as vaegan-render's.

The graph is the author's notebook (msurtsukov/ae_vae_gan 4d456ec, AE_Keras_habr_6.ipynb) built with
tf_keras layers under TensorFlow's compat-v1 graph mode, with three changes that let another program
walk the same path:
  - the weights start from a safetensors file (tensor names as in docs/FORMATS.md);
  - the sampling layer's noise eps is fed (the notebook draws it inside the graph);
  - each batch's images come from a list of training-set indices, with its z_p, from a noise file.
Dropout follows the learning phase fed to the training steps: --dropout off feeds 0 (the two programs
then compute the same function and should walk together until float32 rounding makes them part),
--dropout on feeds 1 as the notebook does (each program draws its own masks).

  noise:  python lockstep_tf.py noise --seed 0 --iterations 500 --out noise.safetensors
  train:  python lockstep_tf.py train --weights w0.safetensors --noise noise.safetensors \
              --iterations 500 --dropout off --out tf.csv [--weights-out w.safetensors]

The noise file holds, for the k-th batch the loop draws, `draw_indices[k]` (64 training-set indices,
the notebook's per-epoch permutations cut into 937 batches) and `draw_zp[k]`; for the s-th step (D
or G, in the order the loop takes them) `step_eps[s]`. A loop iteration draws at most six batches and
takes at most six steps, so 6 * iterations of each are written. The CSV has one row per iteration:
iteration, d_steps, g_steps, L_prior, L_dis_llike, L_GAN (the last G step's, before its update).
"""
import argparse
import gzip
import json
import os
import struct
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402

BATCH, LATENT, CLASSES = 64, 8, 10


def mnist_train(folder):
    def read(name):
        path = os.path.join(folder, name)
        raw = gzip.open(path + ".gz").read() if os.path.exists(path + ".gz") else open(path, "rb").read()
        dims = raw[3]
        shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
        return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)
    x = read("train-images-idx3-ubyte").astype(np.float32) / 255.
    return x.reshape(-1, 28, 28, 1), read("train-labels-idx1-ubyte")


def make_noise(args):
    from safetensors.numpy import save_file
    rng = np.random.default_rng(args.seed)
    n = 6 * args.iterations
    per_epoch = 60000 // BATCH
    indices = []
    while len(indices) < n:
        order = rng.permutation(60000)
        indices += [order[BATCH * i: BATCH * (i + 1)] for i in range(per_epoch)]
    save_file({
        "draw_indices": np.stack(indices[:n]).astype(np.float32),  # exact below 2^24; F32 only
        "draw_zp": rng.standard_normal((n, BATCH, LATENT)).astype(np.float32),
        "step_eps": rng.standard_normal((n, BATCH, LATENT)).astype(np.float32),
    }, args.out)


def train(args):
    import tensorflow as tf
    tf.compat.v1.disable_eager_execution()
    import tf_keras.src.backend as KB
    from tf_keras import backend as K
    from tf_keras.layers import (Dropout, Reshape, Flatten, RepeatVector, Lambda, Dense, Input, Conv2D,
                                 MaxPool2D, UpSampling2D, concatenate, LeakyReLU)
    from tf_keras.models import Model
    from safetensors.numpy import load_file, save_file

    seeds = np.random.default_rng(args.seed)
    if args.masks == "graph-seed":
        # What notebook_4d456ec.py does: a graph-level seed and no layer seeds. tf_keras then draws
        # every dropout mask of a sess.run from one random sequence: each application of a layer
        # drops the same units, and so does a second Dropout on the same tensor (A(A(x)) in the
        # discriminator drops 30%, not 51%).
        tf.compat.v1.set_random_seed(args.seed)
    sess = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(
        intra_op_parallelism_threads=args.threads, inter_op_parallelism_threads=1))
    KB.set_session(sess)
    x_train, y_train = mnist_train(args.mnist)
    y_train_cat = np.eye(CLASSES, dtype=np.float32)[y_train]

    x_ = tf.compat.v1.placeholder(tf.float32, (None, 28, 28, 1))
    y_ = tf.compat.v1.placeholder(tf.float32, (None, CLASSES))
    z_ = tf.compat.v1.placeholder(tf.float32, (None, LATENT))
    eps_ = tf.compat.v1.placeholder(tf.float32, (None, LATENT))
    img, lbl, z = Input(tensor=x_), Input(tensor=y_), Input(tensor=z_)
    named = {}

    def layer(name, made):
        named[name] = made
        return made

    rates = {net: (0.3 if net in args.dropout_in.split(",") else 0.0) for net in ("encoder", "decoder", "discriminator")}

    def A(x, net):
        # --masks independent: a seed per layer, which tf_keras moves on at each call, so that every
        # application draws its own mask, as Keras 2.0's K.dropout did with a fresh seed per call.
        seed = int(seeds.integers(1, 10**7)) if args.masks == "independent" else None
        return Dropout(rates[net], seed=seed)(LeakyReLU(alpha=0.3)(x))

    x = A(layer("encoder.conv1", Conv2D(32, 3, strides=2, padding="same"))(img), "encoder")
    x = MaxPool2D(2, padding="same")(x)
    x = A(layer("encoder.conv2", Conv2D(64, 3, padding="same"))(x), "encoder")
    h = A(layer("encoder.dense1", Dense(64))(concatenate([Flatten()(x), lbl])), "encoder")
    z_mean = layer("encoder.z_mean", Dense(LATENT))(h)
    z_log_var = layer("encoder.z_log_var", Dense(LATENT))(h)
    sampled = Lambda(lambda a: a[0] + K.exp(K.clip(a[1] / 2, -2, 2)) * eps_)([z_mean, z_log_var])
    encoder = Model([img, lbl], [z_mean, z_log_var, sampled])

    x = A(layer("decoder.dense1", Dense(7 * 7 * 128))(concatenate([z, lbl])), "decoder")
    x = UpSampling2D(2)(Reshape((7, 7, 128))(x))
    x = A(layer("decoder.conv1", Conv2D(64, 5, padding="same"))(x), "decoder")
    x = A(UpSampling2D(2)(layer("decoder.conv2", Conv2D(32, 3, padding="same"))(x)), "decoder")
    decoded = layer("decoder.conv3", Conv2D(1, 5, activation="sigmoid", padding="same"))(x)
    decoder = Model([z, lbl], decoded)

    x = MaxPool2D(2, padding="same")(layer("discriminator.conv1", Conv2D(128, 7, strides=2, padding="same"))(img))
    x = A(x, "discriminator")
    x = concatenate([x, Reshape((7, 7, CLASSES))(RepeatVector(49)(lbl))])
    x = A(MaxPool2D(2, padding="same")(layer("discriminator.conv2", Conv2D(64, 3, padding="same"))(x)), "discriminator")
    lconv = layer("discriminator.l_conv", Conv2D(16, 3, padding="same"))(x)
    d = layer("discriminator.d_dense", Dense(1, activation="sigmoid"))(Flatten()(A(x, "discriminator")))
    discrim = Model([img, lbl], [d, lconv])

    z_mean, z_log_var, encoded = encoder([img, lbl])
    decoded_img, decoded_z = decoder([encoded, lbl]), decoder([z, lbl])
    d_img, l_img = discrim([img, lbl])
    d_dec_img, l_dec_img = discrim([decoded_img, lbl])
    d_dec_z, _ = discrim([decoded_z, lbl])
    clipped = tf.clip_by_value(z_log_var, -2, 2)
    L_prior = -0.125 * tf.reduce_sum(1. + clipped - tf.square(z_mean) - tf.exp(clipped)) / 28 / 28
    L_GAN = -1 / 4 * tf.reduce_mean(tf.math.log(d_img + 1e-10) + 2 * tf.math.log(1. - d_dec_z + 1e-10)
                                    + tf.math.log(1. - d_dec_img + 1e-10))
    L_dis_llike = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.sigmoid(l_img), logits=l_dec_img)) / 28 / 28
    step_enc = tf.compat.v1.train.RMSPropOptimizer(0.001).minimize(L_dis_llike + L_prior,
                                                                    var_list=encoder.trainable_weights)
    step_dec = tf.compat.v1.train.RMSPropOptimizer(0.0003).minimize(0.5 * L_dis_llike - L_GAN,
                                                                     var_list=decoder.trainable_weights)
    step_dis = tf.compat.v1.train.RMSPropOptimizer(0.001).minimize(L_GAN, var_list=discrim.trainable_weights)
    LP = K.learning_phase()
    sess.run(tf.compat.v1.global_variables_initializer())
    w0 = load_file(args.weights)
    for name, made in named.items():
        made.set_weights([w0[name + ".kernel"], w0[name + ".bias"]])

    noise = load_file(args.noise)
    draws, zps, epss = noise["draw_indices"], noise["draw_zp"], noise["step_eps"]
    phase = 1 if args.dropout == "on" else 0
    state = {"draw": 0, "step": 0}

    def next_batch():
        k = state["draw"]
        state["draw"] += 1
        i = draws[k].astype(np.int64)
        return x_train[i], y_train_cat[i], zps[k]

    def feed(batch):
        s = state["step"]
        state["step"] += 1
        return {x_: batch[0], y_: batch[1], z_: batch[2], eps_: epss[s], LP: phase}

    if args.forward_draws:
        # The losses at the starting weights on the first batch, averaged over dropout draws.
        batch = next_batch()
        values = np.array([sess.run([L_prior, L_dis_llike, L_GAN], {x_: batch[0], y_: batch[1], z_: batch[2],
                                                                       eps_: epss[0], LP: phase})
                           for _ in range(args.forward_draws)])
        values = values.astype(np.float64)
        mean, sd = values.mean(0), values.std(0) / np.sqrt(len(values))
        print(json.dumps({"draws": len(values), "L_prior": mean[0], "L_dis_llike": mean[1], "L_GAN": mean[2],
                          "sd_of_mean": {"L_prior": sd[0], "L_dis_llike": sd[1], "L_GAN": sd[2]}}))
        return
    out = open(args.out, "w")
    out.write("iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN\n")
    for it in range(args.iterations):
        for j in range(3):
            batch = next_batch()
            l_g = sess.run([L_GAN, step_dis], feed(batch))[0]
            if l_g < 1.0:
                break
        dj = j + 1
        for j in range(3):
            l_p, l_d, l_g = sess.run([L_prior, L_dis_llike, L_GAN, step_enc, step_dec], feed(batch))[:3]
            if l_g > 0.4:
                break
            batch = next_batch()
        out.write(f"{it},{dj},{j + 1},{l_p:.9g},{l_d:.9g},{l_g:.9g}\n")
        if it % 100 == 0:
            out.flush()
            print(it, l_p, l_d, l_g, file=sys.stderr, flush=True)
    out.close()
    if args.weights_out:
        save_file({name + part: np.ascontiguousarray(v) for name, made in named.items()
                   for part, v in zip((".kernel", ".bias"), made.get_weights())}, args.weights_out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("noise")
    n.add_argument("--seed", type=int, default=0)
    n.add_argument("--iterations", type=int, required=True)
    n.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--weights", required=True)
    t.add_argument("--noise", required=True)
    t.add_argument("--iterations", type=int, required=True)
    t.add_argument("--dropout", choices=("on", "off"), default="off")
    t.add_argument("--seed", type=int, default=0, help="seed of the dropout masks")
    t.add_argument("--masks", choices=("independent", "graph-seed"), default="independent",
                   help="independent: each application of a layer draws its own mask (the notebook under Keras 2.0); "
                        "graph-seed: a graph-level seed, as notebook_4d456ec.py sets, under which tf_keras draws "
                        "every mask of a step from one sequence")
    t.add_argument("--dropout-in", default="encoder,decoder,discriminator",
                   help="the networks whose dropout is on with --dropout on (comma-separated)")
    t.add_argument("--forward-draws", type=int, default=0,
                   help="instead of training: the mean losses of this many forwards on the first batch")
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--mnist", default=os.environ.get("VAEGAN_MNIST_DIR", os.path.expanduser(
        "~/.local/share/vaegan-render/mnist")))
    t.add_argument("--out")
    t.add_argument("--weights-out")
    a = p.parse_args()
    make_noise(a) if a.command == "noise" else train(a)


if __name__ == "__main__":
    main()
