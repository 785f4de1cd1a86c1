package dev.rectify.nn;

import dev.rectify.io.AtomicFiles;
import dev.rectify.kernels.ActivationKernels;
import dev.rectify.kernels.Algorithm;
import dev.rectify.kernels.Eltwise;
import dev.rectify.kernels.Gemm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A saved network (architecture, parameters, batch-norm statistics), its optimizer state, where the trainer stood
 * ({@link TrainingState}: epoch, step, schedule horizon, shuffle seed, the diagnostics' reference masks) and the
 * application's settings (the command line keeps its options there), in a documented binary format. All numbers
 * are big-endian ({@link DataOutputStream}):
 * <pre>
 *   magic     8 bytes  "RECTIFY\n"
 *   version   int      3 (versions 1 and 2 are read too: version 1 has no state and settings sections, and
 *                       neither stores the learning rate; their optimizer's {@link Optimizer#lr()} is NaN and it
 *                       refuses to step until {@link Optimizer#setLr} is called)
 *   length    long     byte length of the payload
 *   payload   length bytes:
 *     steps      long
 *     layers     int, then per layer a tag byte and its fields:
 *       'D' dense       inputs int, outputs int, hasActivation boolean, [activation]
 *       'B' batch norm  features int, eps double, momentum double
 *       'A' activation  units int, activation, seed long
 *       'P' prelu       units int
 *       'O' dropout     features int, rate float, seed long
 *       (activation = apiName UTF, alpha float, beta float)
 *     tensors    int, then per parameter and buffer in layer order: length int, that many floats
 *     optimizer  kind UTF ("sgd" | "adam"), lr double (version 3), count int, that many hyperparameter doubles
 *                (sgd: momentum, nesterov 0/1, weight decay; adam: beta1, beta2, eps, weight decay, decoupled 0/1),
 *                then per parameter: slots int, slots x (length int, floats), updates long
 *     state      epochs int, seed long, scheduleEpochs int, initialLoss double,
 *                masks int (-1: none), per hidden layer: units int, ceil(units / 8) bytes, bit u of the mask = unit u
 *     settings   count int, count x (key UTF, value UTF)
 *   checksum  int      CRC-32C of the payload
 * </pre>
 * {@link #save} refuses a network, optimizer state or batch-norm statistic that holds a non-finite value (a
 * diverged run), then writes through {@link AtomicFiles}: a crash leaves either the old file or the new one, never
 * half of one, and the temporary files of a killed save are removed by the next save to the same target.
 * {@link #load} refuses a file with a wrong magic number, an unknown version, a length that does not match the
 * file, a checksum mismatch, sizes that the payload cannot hold (checked before anything is allocated) or fields
 * that do not describe a valid network, with an {@link IOException} that names the file and says which.
 */
public record Checkpoint(Network network, Optimizer optimizer, TrainingState state, Map<String, String> settings) {
    static final byte[] MAGIC = {'R', 'E', 'C', 'T', 'I', 'F', 'Y', '\n'};
    public static final int VERSION = 3;
    private static final int HEADER = MAGIC.length + 4 + 8, TRAILER = 4;
    /** Settings: at most this many entries; keys and values at most 65,535 UTF-8 bytes each (the format's limit). */
    public static final int MAX_SETTINGS = 1024;

    public Checkpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(settings, "settings");
        if (settings.size() > MAX_SETTINGS) throw new IllegalArgumentException("settings: at most " + MAX_SETTINGS + " entries, has " + settings.size());
        for (Map.Entry<String, String> e : settings.entrySet()) {
            requireUtf("settings key", Objects.requireNonNull(e.getKey(), "settings key"));
            requireUtf("settings[" + e.getKey() + "]", Objects.requireNonNull(e.getValue(), "settings[" + e.getKey() + "]"));
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** A checkpoint that knows only the step count; no settings. */
    public Checkpoint(Network network, Optimizer optimizer, long steps) {
        this(network, optimizer, TrainingState.atStep(steps, 0), Map.of());
    }

    /** The trainer's network, optimizer and state; no settings. */
    public static Checkpoint of(Trainer trainer) {
        return of(trainer, Map.of());
    }

    /** The trainer's network, optimizer and state, with the application's settings (kept in insertion order). */
    public static Checkpoint of(Trainer trainer, Map<String, String> settings) {
        return new Checkpoint(trainer.network(), trainer.optimizer(), trainer.state(), settings);
    }

    /** Optimizer steps taken (the trainer's step count). */
    public long steps() {
        return state.steps();
    }

    private static void requireUtf(String what, String s) {
        if (s.length() > 65_535 / 3 && s.getBytes(StandardCharsets.UTF_8).length > 65_535) {
            throw new IllegalArgumentException(what + ": longer than 65,535 UTF-8 bytes");
        }
    }

    /**
     * Writes this checkpoint to {@code target} atomically.
     *
     * @throws IllegalStateException before writing anything, if a parameter, batch-norm statistic or optimizer
     *         moment is NaN or infinite: a diverged network is never saved
     */
    public void save(Path target) throws IOException {
        Objects.requireNonNull(target, "target");
        AtomicFiles.write(target, toBytes());
    }

    /**
     * This checkpoint in the file format of {@link #save}, for sending over a network (a cluster's broadcast).
     *
     * @throws IllegalStateException as {@link #save}, for a non-finite value
     */
    public byte[] toBytes() {
        requireFinite();
        try {
            byte[] payload = payload();
            CRC32C crc = new CRC32C();
            crc.update(payload);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + payload.length + TRAILER);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(payload.length);
                out.write(payload);
                out.writeInt((int) crc.getValue());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing to memory", e);
        }
    }

    private void requireFinite() {
        if (Double.isNaN(optimizer.lr())) {
            throw new IllegalStateException("not saved: the optimizer's learning rate is unknown (loaded from a version-1 or -2 "
                    + "checkpoint); call setLr first");
        }
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            for (Param p : l.params()) {
                requireFinite(p.value, "layer " + i + " (" + l.describe() + ") " + p.name());
                float[][] slots = optimizer.state.get(p);
                if (slots != null) for (float[] s : slots) requireFinite(s, "the optimizer state of layer " + i + " " + p.name());
            }
            for (float[] b : l.buffers()) requireFinite(b, "layer " + i + " (" + l.describe() + ") running statistics");
        }
    }

    private static void requireFinite(float[] a, String what) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                throw new IllegalStateException("not saved: " + what + "[" + i + "] is " + a[i] + " (a diverged network)");
            }
        }
    }

    private byte[] payload() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(state.steps());
            List<Layer> layers = network.layers();
            out.writeInt(layers.size());
            List<float[]> tensors = new ArrayList<>();
            for (Layer l : layers) {
                if (l instanceof Dense) {
                    Dense d = (Dense) l;
                    out.writeByte('D');
                    out.writeInt(d.inputs());
                    out.writeInt(d.outputs());
                    out.writeBoolean(d.activation() != null);
                    if (d.activation() != null) writeEltwise(out, d.activation());
                } else if (l instanceof BatchNorm) {
                    BatchNorm b = (BatchNorm) l;
                    out.writeByte('B');
                    out.writeInt(b.inputs());
                    out.writeDouble(b.eps());
                    out.writeDouble(b.momentum());
                } else if (l instanceof Activation) {
                    Activation a = (Activation) l;
                    out.writeByte('A');
                    out.writeInt(a.inputs());
                    writeEltwise(out, a.op());
                    out.writeLong(a.seed());
                } else if (l instanceof PRelu) {
                    out.writeByte('P');
                    out.writeInt(l.inputs());
                } else if (l instanceof Dropout) {
                    Dropout d = (Dropout) l;
                    out.writeByte('O');
                    out.writeInt(d.inputs());
                    out.writeFloat((float) d.rate());
                    out.writeLong(d.seed());
                } else {
                    throw new IllegalArgumentException("network: layer " + l.describe() + " cannot be saved");
                }
                for (Param p : l.params()) tensors.add(p.value);
                tensors.addAll(l.buffers());
            }
            out.writeInt(tensors.size());
            for (float[] t : tensors) writeFloats(out, t);
            out.writeUTF(optimizer.kind());
            out.writeDouble(optimizer.lr());
            double[] h = optimizer.hyperparameters();
            out.writeInt(h.length);
            for (double v : h) out.writeDouble(v);
            for (Param p : network.params()) {
                float[][] slots = optimizer.state.get(p);
                out.writeInt(slots == null ? 0 : slots.length);
                if (slots != null) for (float[] s : slots) writeFloats(out, s);
                long[] n = optimizer.steps.get(p);
                out.writeLong(n == null ? 0 : n[0]);
            }
            out.writeInt(state.epochs());
            out.writeLong(state.seed());
            out.writeInt(state.scheduleEpochs());
            out.writeDouble(state.initialLoss());
            boolean[][] masks = state.inactive();
            out.writeInt(masks == null ? -1 : masks.length);
            if (masks != null) {
                for (boolean[] m : masks) {
                    out.writeInt(m.length);
                    byte[] packed = new byte[(m.length + 7) / 8];
                    for (int u = 0; u < m.length; u++) if (m[u]) packed[u >> 3] |= (byte) (1 << (u & 7));
                    out.write(packed);
                }
            }
            out.writeInt(settings.size());
            for (Map.Entry<String, String> e : settings.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a checkpoint; the network runs on the given kernels.
     *
     * @throws IOException naming the file and what is wrong with it when it is not a complete, intact checkpoint
     *         (also for a directory or a file too large to be one)
     */
    public static Checkpoint load(Path file, Gemm gemm, ActivationKernels kernels) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(kernels, "kernels");
        if (Files.isDirectory(file)) throw new IOException(file + ": is a directory, not a checkpoint file");
        if (Files.exists(file) && Files.size(file) > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": " + Files.size(file) + " bytes, too large to be a Rectify checkpoint");
        }
        return fromBytes(Files.readAllBytes(file), file.toString(), gemm, kernels);
    }

    /**
     * Reads a checkpoint from {@link #toBytes()}'s bytes, validated as {@link #load} validates a file;
     * {@code source} names them in error messages.
     */
    public static Checkpoint fromBytes(byte[] all, String source, Gemm gemm, ActivationKernels kernels) throws IOException {
        Objects.requireNonNull(all, "bytes");
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(kernels, "kernels");
        String file = Objects.requireNonNull(source, "source");
        if (all.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": not a Rectify checkpoint (wrong magic number)");
        }
        if (all.length < HEADER + TRAILER) throw new IOException(file + ": truncated checkpoint (" + all.length + " bytes)");
        DataInputStream head = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, HEADER - MAGIC.length));
        int version = head.readInt();
        if (version < 1 || version > VERSION) {
            throw new IOException(file + ": checkpoint version " + version + ", this Rectify reads 1 to " + VERSION);
        }
        long length = head.readLong();
        if (length != all.length - HEADER - TRAILER) {
            throw new IOException(file + ": truncated or padded checkpoint: header says " + length + " payload bytes, file holds "
                    + (all.length - HEADER - TRAILER));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, HEADER, (int) length);
        int stored = new DataInputStream(new ByteArrayInputStream(all, HEADER + (int) length, TRAILER)).readInt();
        if (stored != (int) crc.getValue()) throw new IOException(file + ": corrupted checkpoint (checksum mismatch)");
        try {
            return parse(new DataInputStream(new ByteArrayInputStream(all, HEADER, (int) length)), version, gemm, kernels);
        } catch (EOFException e) {
            throw new IOException(file + ": malformed checkpoint (payload ends early)", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": malformed checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Layers that together claim more floats than the rest of the payload can hold are refused before anything is
     * allocated ({@code in.available()} is exact for the byte-array stream); {@code claimed} carries the sum.
     */
    private static long requireHeld(DataInputStream in, long claimed, long floats, String what) throws IOException {
        long total = claimed + floats;
        if (total * 4 > in.available()) {
            throw new IllegalArgumentException(what + " claims " + floats + " floats, more than the " + in.available()
                    + " payload bytes left can hold");
        }
        return total;
    }

    private static Checkpoint parse(DataInputStream in, int version, Gemm gemm, ActivationKernels kernels) throws IOException {
        long steps = in.readLong();
        if (steps < 0) throw new IllegalArgumentException("step count " + steps);
        int count = in.readInt();
        if (count <= 0 || count > in.available()) throw new IllegalArgumentException("layer count " + count);
        List<Layer> layers = new ArrayList<>();
        long claimed = 0;
        for (int i = 0; i < count; i++) {
            int tag = in.readByte();
            String where = "layer " + i;
            switch (tag) {
                case 'D': {
                    int inputs = in.readInt(), outputs = in.readInt();
                    if (inputs <= 0 || outputs <= 0) throw new IllegalArgumentException(where + ": dense " + inputs + " x " + outputs);
                    claimed = requireHeld(in, claimed, (long) inputs * outputs + outputs, where + " (dense " + inputs + " x " + outputs + ")");
                    Eltwise act = in.readBoolean() ? readEltwise(in) : null;
                    layers.add(new Dense(inputs, outputs, act, gemm, kernels));
                    break;
                }
                case 'B': {
                    int features = in.readInt();
                    claimed = requireHeld(in, claimed, 4L * Math.max(0, features), where + " (batch norm of " + features + ")");
                    layers.add(new BatchNorm(features, in.readDouble(), in.readDouble()));
                    break;
                }
                case 'A': {
                    int units = in.readInt();
                    layers.add(new Activation(units, readEltwise(in), kernels, in.readLong()));
                    break;
                }
                case 'P': {
                    int units = in.readInt();
                    claimed = requireHeld(in, claimed, Math.max(0, units), where + " (prelu of " + units + ")");
                    layers.add(new PRelu(units, PRelu.DEFAULT_INITIAL_SLOPE, kernels));
                    break;
                }
                case 'O': layers.add(new Dropout(in.readInt(), in.readFloat(), in.readLong())); break;
                default: throw new IllegalArgumentException("unknown layer tag " + tag + " at layer " + i);
            }
        }
        Network net = new Network(layers);
        List<float[]> tensors = new ArrayList<>();
        for (Layer l : layers) {
            for (Param p : l.params()) tensors.add(p.value);
            tensors.addAll(l.buffers());
        }
        int n = in.readInt();
        if (n != tensors.size()) throw new IllegalArgumentException(n + " tensors for a network that has " + tensors.size());
        for (float[] t : tensors) readFloats(in, t);
        String kind = in.readUTF();
        double lr = version >= 3 ? in.readDouble() : Double.NaN;
        if (version >= 3) Optimizer.requireLr(lr);
        int hn = in.readInt();
        if (hn < 0 || hn > 64) throw new IllegalArgumentException("hyperparameter count " + hn);
        double[] h = new double[hn];
        for (int i = 0; i < hn; i++) h[i] = in.readDouble();
        Optimizer opt = Optimizer.of(kind, lr, h);
        for (Param p : net.params()) {
            int slots = in.readInt();
            if (slots < 0 || slots > 2) throw new IllegalArgumentException("optimizer slots " + slots);
            if (slots > 0) {
                requireHeld(in, 0, (long) slots * p.size(), "the optimizer state of " + p.name());
                float[][] s = opt.state(p, slots);
                for (float[] a : s) readFloats(in, a);
            }
            long updates = in.readLong();
            if (updates < 0) throw new IllegalArgumentException("update count " + updates);
            if (updates > 0) opt.steps.put(p, new long[] {updates});
        }
        TrainingState state = TrainingState.atStep(steps, 0);
        Map<String, String> settings = new LinkedHashMap<>();
        if (version >= 2) {
            state = readState(in, steps, Network.unitsPerLayer(net.hidden()));
            int entries = in.readInt();
            if (entries < 0 || entries > MAX_SETTINGS) throw new IllegalArgumentException("settings count " + entries);
            for (int i = 0; i < entries; i++) settings.put(in.readUTF(), in.readUTF());
        }
        if (in.available() != 0) throw new IllegalArgumentException(in.available() + " unexpected bytes after the last section");
        return new Checkpoint(net, opt, state, settings);
    }

    private static TrainingState readState(DataInputStream in, long steps, int[] units) throws IOException {
        int epochs = in.readInt();
        long seed = in.readLong();
        int scheduleEpochs = in.readInt();
        double initialLoss = in.readDouble();
        int layers = in.readInt();
        boolean[][] masks = null;
        if (layers != -1) {
            if (layers != units.length) throw new IllegalArgumentException("masks for " + layers + " hidden layers, the network has " + units.length);
            masks = new boolean[layers][];
            for (int i = 0; i < layers; i++) {
                int u = in.readInt();
                if (u != units[i]) throw new IllegalArgumentException("mask of " + u + " units for hidden layer " + i + " of " + units[i]);
                byte[] packed = new byte[(u + 7) / 8];
                in.readFully(packed);
                masks[i] = new boolean[u];
                for (int k = 0; k < u; k++) masks[i][k] = (packed[k >> 3] & (1 << (k & 7))) != 0;
            }
        }
        return new TrainingState(epochs, steps, seed, scheduleEpochs, initialLoss, masks);
    }

    private static void writeEltwise(DataOutputStream out, Eltwise e) throws IOException {
        out.writeUTF(e.algorithm().apiName());
        out.writeFloat(e.alpha());
        out.writeFloat(e.beta());
    }

    private static Eltwise readEltwise(DataInputStream in) throws IOException {
        return new Eltwise(Algorithm.fromApiName(in.readUTF()), in.readFloat(), in.readFloat());
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) out.writeInt(Float.floatToRawIntBits(v));
    }

    private static void readFloats(DataInputStream in, float[] into) throws IOException {
        int n = in.readInt();
        if (n != into.length) throw new IllegalArgumentException("tensor of " + n + " floats where " + into.length + " belong");
        for (int i = 0; i < n; i++) into[i] = Float.intBitsToFloat(in.readInt());
    }
}
