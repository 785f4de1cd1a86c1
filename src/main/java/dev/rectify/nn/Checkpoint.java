package dev.rectify.nn;

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
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A saved network (architecture, parameters, batch-norm statistics), its optimizer state and the trainer's step
 * count, in a documented binary format. All numbers are big-endian ({@link DataOutputStream}):
 * <pre>
 *   magic     8 bytes  "RECTIFY\n"
 *   version   int      1
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
 *     optimizer  kind UTF ("sgd" | "adam"), count int, that many hyperparameter doubles,
 *                then per parameter: slots int, slots x (length int, floats), updates long
 *   checksum  int      CRC-32C of the payload
 * </pre>
 * {@link #save} writes a temporary file in the target's directory, forces it to disk and renames it over the
 * target, so a crash leaves either the old file or the new one, never half of one. {@link #load} refuses a file
 * with a wrong magic number, an unknown version, a length that does not match the file, a checksum mismatch or
 * fields that do not describe a valid network, with an {@link IOException} that says which.
 */
public record Checkpoint(Network network, Optimizer optimizer, long steps) {
    static final byte[] MAGIC = {'R', 'E', 'C', 'T', 'I', 'F', 'Y', '\n'};
    public static final int VERSION = 1;
    private static final int HEADER = MAGIC.length + 4 + 8, TRAILER = 4;

    public Checkpoint {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimizer, "optimizer");
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, was " + steps);
    }

    /** The trainer's network, optimizer and step count. */
    public static Checkpoint of(Trainer trainer) {
        return new Checkpoint(trainer.network(), trainer.optimizer(), trainer.steps());
    }

    /** Writes this checkpoint to {@code target} atomically. */
    public void save(Path target) throws IOException {
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
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        dev.rectify.diagnostics.HistoryExport.readableByAll(tmp);
        try {
            try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes.toByteArray());
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private byte[] payload() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(steps);
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
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a checkpoint; the network runs on the given kernels.
     *
     * @throws IOException naming what is wrong with a file that is not a complete, intact checkpoint
     */
    public static Checkpoint load(Path file, Gemm gemm, ActivationKernels kernels) throws IOException {
        Objects.requireNonNull(gemm, "gemm");
        Objects.requireNonNull(kernels, "kernels");
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IOException(file + ": not a Rectify checkpoint (wrong magic number)");
        }
        if (all.length < HEADER + TRAILER) throw new IOException(file + ": truncated checkpoint (" + all.length + " bytes)");
        DataInputStream head = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, HEADER - MAGIC.length));
        int version = head.readInt();
        if (version != VERSION) throw new IOException(file + ": checkpoint version " + version + ", this Rectify reads " + VERSION);
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
            return parse(new DataInputStream(new ByteArrayInputStream(all, HEADER, (int) length)), gemm, kernels);
        } catch (EOFException e) {
            throw new IOException(file + ": malformed checkpoint (payload ends early)", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": malformed checkpoint: " + e.getMessage(), e);
        }
    }

    private static Checkpoint parse(DataInputStream in, Gemm gemm, ActivationKernels kernels) throws IOException {
        long steps = in.readLong();
        int count = in.readInt();
        if (count <= 0 || count > 100_000) throw new IllegalArgumentException("layer count " + count);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int tag = in.readByte();
            switch (tag) {
                case 'D': {
                    int inputs = in.readInt(), outputs = in.readInt();
                    Eltwise act = in.readBoolean() ? readEltwise(in) : null;
                    layers.add(new Dense(inputs, outputs, act, gemm, kernels));
                    break;
                }
                case 'B': layers.add(new BatchNorm(in.readInt(), in.readDouble(), in.readDouble())); break;
                case 'A': {
                    int units = in.readInt();
                    layers.add(new Activation(units, readEltwise(in), kernels, in.readLong()));
                    break;
                }
                case 'P': layers.add(new PRelu(in.readInt(), PRelu.DEFAULT_INITIAL_SLOPE, kernels)); break;
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
        int hn = in.readInt();
        if (hn < 0 || hn > 64) throw new IllegalArgumentException("hyperparameter count " + hn);
        double[] h = new double[hn];
        for (int i = 0; i < hn; i++) h[i] = in.readDouble();
        Optimizer opt = Optimizer.of(kind, h);
        for (Param p : net.params()) {
            int slots = in.readInt();
            if (slots < 0 || slots > 2) throw new IllegalArgumentException("optimizer slots " + slots);
            if (slots > 0) {
                float[][] s = opt.state(p, slots);
                for (float[] a : s) readFloats(in, a);
            }
            long updates = in.readLong();
            if (updates < 0) throw new IllegalArgumentException("update count " + updates);
            if (updates > 0) opt.steps.put(p, new long[] {updates});
        }
        if (in.available() != 0) throw new IllegalArgumentException(in.available() + " unexpected bytes after the optimizer state");
        return new Checkpoint(net, opt, steps);
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
