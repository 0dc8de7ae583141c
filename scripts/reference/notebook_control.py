"""The author's AE_Keras_habr_6.ipynb as committed with the article's figures (msurtsukov/ae_vae_gan 4d456ec),
ported to TF 2.21 compat-v1 graph mode with tf_keras layers: the notebook's networks, losses, optimisers, loop and
thresholds. It is the control for "is the article one draw?" (BENCHMARKS.md): the notebook as it ran, trained
beside our runs and measured by our own code.

Changes from the notebook: tf.compat.v1 names; NumPy's seed set; periodic plotting replaced by a style-transfer
sheet from the article's ten test 7s (sheet_N.npy: 10 rows, labels 0..9, row 7 the inputs, x 10 columns x 28 x 28,
ink = 1) and by the weights (weights_N.safetensors, in vaegan-render's weights format, which `evaluate` reads as the
article model's) at chosen iterations; and, so that hours of training can stop and go on, a checkpoint every
--save-every iterations (every variable, the RMSProp slots among them, and NumPy's random state) that --resume
continues from. A resumed run draws a new permutation of the training set for its first epoch.

  python notebook_control.py --seed 0 --iterations 11000 --sheets-at 1000,2100,11000 --out DIR [--resume]
      [--masks independent|graph-seed] [--threads 2]

--masks: the notebook's own dropout (independent masks per application, the default) or the shared masks that a
graph-level seed gives under tf_keras. About 0.3 s an iteration on 2 cores. Needs the environment of
scripts/reference/venv.sh and tf-keras 2.21.0. Dropout follows the fed learning phase (checked at start-up)."""
import argparse, gzip, os, struct, sys, time, json
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
import tf_keras as keras
from tf_keras import backend as K
from tf_keras.layers import Dropout, Reshape, Flatten, RepeatVector, Lambda, Dense, Input, Conv2D, MaxPool2D, UpSampling2D, concatenate, LeakyReLU
from tf_keras.models import Model

p = argparse.ArgumentParser()
p.add_argument("--seed", type=int, default=0)
p.add_argument("--iterations", type=int, default=2100)
p.add_argument("--sheets-at", default="1000,2100", help="iterations at which the sheet and the weights are saved")
p.add_argument("--save-every", type=int, default=500, help="iterations between checkpoints (for --resume)")
p.add_argument("--resume", action="store_true", help="go on from DIR's last checkpoint")
p.add_argument("--threads", type=int, default=2)
p.add_argument("--out", required=True)
p.add_argument("--masks", choices=("independent", "graph-seed"), default="independent",
               help="independent: no graph-level seed, so every application of a Dropout layer draws its own mask, as "
                    "the notebook did under Keras 2.0 (not reproducible run to run); graph-seed: tf.compat.v1.set_random_seed, "
                    "under which tf_keras gives every application of a Model's Dropout in one sess.run the same mask")
p.add_argument("--mnist", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist"))
a = p.parse_args()
os.makedirs(a.out, exist_ok=True)
np.random.seed(a.seed)
if a.masks == "graph-seed":
    tf.compat.v1.set_random_seed(a.seed)
sess = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(intra_op_parallelism_threads=a.threads, inter_op_parallelism_threads=1))
import tf_keras.src.backend as KB  # tf_keras keeps set_session here, not in its public backend
KB.set_session(sess)

def idx(name):
    b = gzip.open(os.path.join(a.mnist, name + ".gz")).read()
    dims = b[3]; shape = struct.unpack(">" + "I" * dims, b[4:4 + 4 * dims])
    return np.frombuffer(b, np.uint8, offset=4 + 4 * dims).reshape(shape)
x_train = idx("train-images-idx3-ubyte").astype("float32") / 255.; y_train = idx("train-labels-idx1-ubyte")
x_test = idx("t10k-images-idx3-ubyte").astype("float32") / 255.; y_test = idx("t10k-labels-idx1-ubyte")
x_train = x_train.reshape(-1, 28, 28, 1); x_test = x_test.reshape(-1, 28, 28, 1)
y_train_cat = np.eye(10, dtype=np.float32)[y_train]; y_test_cat = np.eye(10, dtype=np.float32)[y_test]

batch_size = 64; latent_dim = 8; num_classes = 10; dropout_rate = 0.3; gamma = 0.5

def gen_batch(x, y):
    n_batches = x.shape[0] // batch_size
    while True:
        idxs = np.random.permutation(y.shape[0]); x = x[idxs]; y = y[idxs]
        for i in range(n_batches):
            yield x[batch_size * i: batch_size * (i + 1)], y[batch_size * i: batch_size * (i + 1)]
train_batches_it = gen_batch(x_train, y_train_cat)

x_ = tf.compat.v1.placeholder(tf.float32, shape=(None, 28, 28, 1), name="image")
y_ = tf.compat.v1.placeholder(tf.float32, shape=(None, 10), name="labels")
z_ = tf.compat.v1.placeholder(tf.float32, shape=(None, latent_dim), name="z")
img = Input(tensor=x_); lbl = Input(tensor=y_); z = Input(tensor=z_)

def add_units_to_conv2d(conv2, units):
    dim1 = int(conv2.shape[1]); dim2 = int(conv2.shape[2]); dimc = int(units.shape[1])
    units_repeat = RepeatVector(dim1 * dim2)(lbl)
    units_repeat = Reshape((dim1, dim2, dimc))(units_repeat)
    return concatenate([conv2, units_repeat])

def A(x):
    x = LeakyReLU(alpha=0.3)(x)
    return Dropout(dropout_rate)(x)

x = Conv2D(32, kernel_size=(3, 3), strides=(2, 2), padding="same", name="encoder_conv1")(img); x = A(x)
x = MaxPool2D((2, 2), padding="same")(x)
x = Conv2D(64, kernel_size=(3, 3), padding="same", name="encoder_conv2")(x); x = A(x)
x = Flatten()(x); x = concatenate([x, lbl])
h = Dense(64, name="encoder_dense1")(x); h = A(h)
z_mean = Dense(latent_dim, name="encoder_z_mean")(h); z_log_var = Dense(latent_dim, name="encoder_z_log_var")(h)
def sampling(args):
    z_mean, z_log_var = args
    epsilon = K.random_normal(shape=(batch_size, latent_dim), mean=0., stddev=1.0)
    return z_mean + K.exp(K.clip(z_log_var / 2, -2, 2)) * epsilon
l = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
encoder = Model([img, lbl], [z_mean, z_log_var, l], name="Encoder")

x = concatenate([z, lbl]); x = Dense(7 * 7 * 128, name="decoder_dense1")(x); x = A(x)
x = Reshape((7, 7, 128))(x); x = UpSampling2D(size=(2, 2))(x)
x = Conv2D(64, kernel_size=(5, 5), padding="same", name="decoder_conv1")(x); x = A(x)
x = Conv2D(32, kernel_size=(3, 3), padding="same", name="decoder_conv2")(x); x = UpSampling2D(size=(2, 2))(x); x = A(x)
decoded = Conv2D(1, kernel_size=(5, 5), activation="sigmoid", padding="same", name="decoder_conv3")(x)
decoder = Model([z, lbl], decoded, name="Decoder")

x = Conv2D(128, kernel_size=(7, 7), strides=(2, 2), padding="same", name="discriminator_conv1")(img)
x = MaxPool2D((2, 2), padding="same")(x); x = A(x)
x = add_units_to_conv2d(x, lbl)
x = Conv2D(64, kernel_size=(3, 3), padding="same", name="discriminator_conv2")(x)
x = MaxPool2D((2, 2), padding="same")(x); x = A(x)
lconv = Conv2D(16, kernel_size=(3, 3), padding="same", name="discriminator_l_conv")(x)
x = A(x)
hd = Flatten()(x); d = Dense(1, activation="sigmoid", name="discriminator_d_dense")(hd)
discrim = Model([img, lbl], [d, lconv], name="Discriminator")

z_mean, z_log_var, encoded_img = encoder([img, lbl])
decoded_img = decoder([encoded_img, lbl]); decoded_z = decoder([z, lbl])
discr_img, discr_l_img = discrim([img, lbl])
discr_dec_img, discr_l_dec_img = discrim([decoded_img, lbl])
discr_dec_z, discr_l_dec_z = discrim([decoded_z, lbl])

L_prior = -0.125 * tf.reduce_sum(1. + tf.clip_by_value(z_log_var, -2, 2) - tf.square(z_mean) - tf.exp(tf.clip_by_value(z_log_var, -2, 2))) / 28 / 28
log_dis_img = tf.math.log(discr_img + 1e-10)
log_dis_dec_z = tf.math.log(1. - discr_dec_z + 1e-10)
log_dis_dec_img = tf.math.log(1. - discr_dec_img + 1e-10)
L_GAN = -1 / 4 * tf.reduce_mean(log_dis_img + 2 * log_dis_dec_z + log_dis_dec_img)
L_dis_llike = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(discr_l_img), logits=discr_l_dec_img)) / 28 / 28
L_enc = L_dis_llike + L_prior
L_dec = gamma * L_dis_llike - L_GAN
L_dis = L_GAN
opt_enc = tf.compat.v1.train.RMSPropOptimizer(0.001)
opt_dec = tf.compat.v1.train.RMSPropOptimizer(0.0003)
opt_dis = tf.compat.v1.train.RMSPropOptimizer(0.001)
step_enc = opt_enc.minimize(L_enc, var_list=encoder.trainable_weights)
step_dec = opt_dec.minimize(L_dec, var_list=decoder.trainable_weights)
step_dis = opt_dis.minimize(L_dis, var_list=discrim.trainable_weights)
LP = K.learning_phase()

def step(image, label, zp):
    return sess.run([L_prior, L_dis_llike, L_GAN, step_enc, step_dec], feed_dict={z_: zp, x_: image, y_: label, LP: 1})[:3]
def step_d(image, label, zp):
    return sess.run([L_GAN, step_dis], feed_dict={z_: zp, x_: image, y_: label, LP: 1})[0]

ARTICLE = [2564, 4551, 3136, 4793, 5789, 3643, 8974, 6361, 8401, 1848]
def sheet():
    X = x_test[ARTICLE]; lin = np.zeros((10, 10), np.float32); lin[:, 7] = 1
    zp = sess.run(z_mean, feed_dict={x_: X, y_: lin, LP: 0})
    rows = []
    for i in range(num_classes):
        lo = np.zeros((10, 10), np.float32); lo[:, i] = 1
        rows.append(X[:, :, :, 0] if i == 7 else sess.run(decoded_z, feed_dict={z_: zp, y_: lo, LP: 0})[:, :, :, 0])
    return np.stack(rows)  # 10 rows x 10 cols x 28 x 28, ink = 1

def save_weights(i):
    """The three networks' weights in vaegan-render's weights format (tensor names as in its FORMATS.md)."""
    from safetensors.numpy import save_file
    arrays = {}
    for net in (encoder, decoder, discrim):
        for layer in net.layers:
            if isinstance(layer, (Conv2D, Dense)):
                kernel, bias = layer.get_weights()
                name = layer.name.replace("_", ".", 1)
                arrays[name + ".kernel"] = np.ascontiguousarray(kernel, np.float32)
                arrays[name + ".bias"] = np.ascontiguousarray(bias, np.float32)
    assert len(arrays) == 26, sorted(arrays)
    meta = {"format": "vaegan-render weights", "iteration": str(i), "model.latent_dim": str(latent_dim),
            "model.variant": "figures",
            "made_by": f"scripts/reference/notebook_control.py --seed {a.seed} --masks {a.masks} (TensorFlow, tf_keras)"}
    path = os.path.join(a.out, f"weights_{i}.safetensors")
    save_file(arrays, path + ".tmp", metadata=meta); os.replace(path + ".tmp", path)

saver = tf.compat.v1.train.Saver(max_to_keep=2)
state_path = os.path.join(a.out, "state.json")
start = 0
if a.resume and os.path.exists(state_path):
    state = json.load(open(state_path))
    saver.restore(sess, os.path.join(a.out, state["checkpoint"]))
    rng = np.load(os.path.join(a.out, "rng.npz"), allow_pickle=False)
    np.random.set_state((str(rng["kind"]), rng["keys"], int(rng["pos"]), int(rng["has_gauss"]), float(rng["cached"])))
    start = state["iteration"]
    print(f"resumed at iteration {start}", file=sys.stderr, flush=True)
else:
    sess.run(tf.compat.v1.global_variables_initializer())

def save_checkpoint(i):
    path = saver.save(sess, os.path.join(a.out, "ckpt"), global_step=i)
    kind, keys, pos, has_gauss, cached = np.random.get_state()
    np.savez(os.path.join(a.out, "rng.npz"), kind=kind, keys=keys, pos=pos, has_gauss=has_gauss, cached=cached)
    with open(state_path + ".tmp", "w") as f: json.dump({"iteration": i, "checkpoint": os.path.basename(path)}, f)
    os.replace(state_path + ".tmp", state_path)

_zz = np.random.RandomState(99).randn(4, latent_dim); _ll = np.eye(10, dtype=np.float32)[[1, 2, 3, 4]]
_a = sess.run(decoded_z, {z_: _zz, y_: _ll, LP: 1}); _b = sess.run(decoded_z, {z_: _zz, y_: _ll, LP: 1}); _c = sess.run(decoded_z, {z_: _zz, y_: _ll, LP: 0}); _d = sess.run(decoded_z, {z_: _zz, y_: _ll, LP: 0})
print("dropout check: train-phase runs differ by", float(np.abs(_a - _b).max()), "; inference runs differ by", float(np.abs(_c - _d).max()), file=sys.stderr)
print("LeakyReLU alpha check, dropout layers:", [l_.alpha for l_ in decoder.layers if isinstance(l_, LeakyReLU)][:1], file=sys.stderr)
sheets_at = {int(s) for s in a.sheets_at.split(",")}
nb_step = 3; t0 = time.time()
log_path = os.path.join(a.out, "losses.csv")
if start > 0:
    # Keep the rows up to the checkpoint: those after it are trained again.
    rows = open(log_path).read().splitlines()
    rows = [r for r in rows if r.startswith("iteration") or int(r.split(",")[0]) < start]
    log = open(log_path, "w"); log.write("\n".join(rows) + "\n")
else:
    log = open(log_path, "w"); log.write("iteration,d_steps,g_steps,L_prior,L_dis_llike,L_GAN\n")
for i in range(start, a.iterations + 1):
    if i in sheets_at:
        np.save(os.path.join(a.out, f"sheet_{i}.npy"), sheet())
        save_weights(i)
        print(f"sheet and weights at {i}, {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    if i > start and i % a.save_every == 0:
        log.flush(); save_checkpoint(i)
    if i == a.iterations: break
    for j in range(nb_step):
        b0, b1 = next(train_batches_it); zp = np.random.randn(batch_size, latent_dim)
        l_g = step_d(b0, b1, zp)
        if l_g < 1.0: break
    dj = j + 1
    for j in range(nb_step):
        l_p, l_d, l_g = step(b0, b1, zp)
        if l_g > 0.4: break
        b0, b1 = next(train_batches_it); zp = np.random.randn(batch_size, latent_dim)
    log.write(f"{i},{dj},{j + 1},{l_p:.6f},{l_d:.6f},{l_g:.6f}\n")
    if i % 100 == 0:
        log.flush(); print(f"{i} {l_p:.4f} {l_d:.4f} {l_g:.4f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
log.close()
