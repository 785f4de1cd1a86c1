package dev.rectify.spark;

import dev.rectify.data.IdxLoader;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * IDX images and labels read by the executors: the driver reads and checks the two headers, and partition
 * {@code p} of {@code P} reads records {@code [n p / P, n (p + 1) / P)} of both files itself — the contiguous runs
 * {@link SparkData#of} would ship, with {@link IdxLoader}'s values (unsigned-byte images scaled by 1/255).
 */
final class IdxBlocks {
    private IdxBlocks() { }

    static JavaRDD<Block> read(JavaSparkContext sc, String images, String labels, int partitions, String name) throws IOException {
        Configuration conf = sc.hadoopConfiguration();
        IdxLoader.Header img = header(images, conf), lab = header(labels, conf);
        if (img.dims().length < 2) throw new IOException(images + ": an image file needs at least 2 dimensions, has " + img.dims().length);
        if (lab.dims().length != 1) throw new IOException(labels + ": a label file has 1 dimension, this one has " + lab.dims().length);
        if (!lab.unsignedBytes()) throw new IOException(labels + ": labels must be unsigned bytes (type 0x08)");
        if (lab.records() != img.records()) {
            throw new IOException("label count mismatch: " + labels + " has " + lab.records() + " labels, " + images + " has "
                    + img.records() + " images");
        }
        int rows = img.records();
        if (partitions > rows) throw new IllegalArgumentException("partitions: " + partitions + " for " + rows + " images in " + images);
        Broadcast<SerializableWritable<Configuration>> shared = sc.broadcast(new SerializableWritable<>(conf));
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < partitions; p++) parts.add(p);
        int imgType = img.type(), labType = lab.type();
        int[] imgDims = img.dims(), labDims = lab.dims();
        return sc.parallelize(parts, partitions).map(p -> { // Header is not Serializable: rebuilt from its parts
            IdxLoader.Header im = new IdxLoader.Header(imgType, imgDims), la = new IdxLoader.Header(labType, labDims);
            Configuration c = shared.value().value();
            int from = (int) ((long) rows * p / partitions), to = (int) ((long) rows * (p + 1) / partitions), n = to - from;
            int f = im.recordValues();
            float[] x = new float[n * f], l = new float[n];
            readRecords(images, c, im, from, n, x);
            readRecords(labels, c, la, from, n, l);
            if (im.unsignedBytes()) for (int i = 0; i < x.length; i++) x[i] /= 255f;
            int[] y = new int[n];
            for (int i = 0; i < n; i++) y[i] = (int) l[i];
            return Block.parsed(p, name, n, f, x, y);
        });
    }

    /** Opens a file on any Hadoop file system, gunzipping when its first bytes say gzip; a missing file is named. */
    static InputStream open(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        InputStream raw;
        try {
            FileSystem fs = path.getFileSystem(conf);
            if (fs.getFileStatus(path).isDirectory()) throw new IOException(uri + ": is a directory, not a data file");
            raw = new BufferedInputStream(fs.open(path), 1 << 16);
        } catch (FileNotFoundException e) {
            throw new IOException(uri + ": no such file"); // no cause: callers report the root cause's message
        }
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw), 1 << 16) : raw;
    }

    private static IdxLoader.Header header(String uri, Configuration conf) throws IOException {
        IdxLoader.Header h;
        try (InputStream in = open(uri, conf)) {
            h = IdxLoader.readHeader(new DataInputStream(in), uri);
        }
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        boolean gzip;
        try (InputStream in = fs.open(path)) {
            gzip = in.read() == 0x1f && in.read() == 0x8b;
        }
        long data = fs.getFileStatus(path).getLen() - h.headerBytes();
        if (!gzip && data != h.dataBytes()) { // a gzipped file's length says nothing; its readers find a short one
            throw new IOException(uri + ": the header promises " + h.shape() + " = " + h.values() + " values (" + h.dataBytes()
                    + " bytes) but the file holds " + Math.max(0, data) + (data < h.dataBytes() ? ": truncated" : ": unexpected bytes after the data"));
        }
        return h;
    }

    /** Records {@code [from, from + n)} of an IDX file into {@code out}; a file shorter than its header says is named. */
    private static void readRecords(String uri, Configuration conf, IdxLoader.Header h, int from, int n, float[] out) throws IOException {
        int per = h.recordValues();
        long recordBytes = (long) per * h.valueBytes();
        try (DataInputStream in = new DataInputStream(open(uri, conf))) {
            in.skipNBytes(h.headerBytes() + from * recordBytes);
            byte[] raw = new byte[(int) (n * recordBytes)];
            in.readFully(raw);
            IdxLoader.decode(h, raw, 0, out, 0, n * per, uri);
        } catch (EOFException e) {
            throw new IOException(uri + ": truncated data: the header promises " + h.shape() + " values, the file ends sooner");
        }
    }
}
