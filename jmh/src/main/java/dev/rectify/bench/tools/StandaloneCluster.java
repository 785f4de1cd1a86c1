package dev.rectify.bench.tools;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Spark standalone master and one worker as their own JVMs on 127.0.0.1, for measurements across JVMs: the
 * worker launches executor JVMs from a Spark home whose {@code jars/} links every jar of this JVM's class path
 * (Spark, MLlib and the benchmarks with Rectify in them), so executors load the same classes as the driver.
 * Both are stopped by {@link #close()} and, should the driver die first, by a shutdown hook.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::stop, "stop-standalone-cluster");
    private String master;

    private StandaloneCluster() { }

    String master() { return master; }

    static StandaloneCluster start(Path dir) throws IOException, InterruptedException {
        Path home = dir.toAbsolutePath().resolve("spark-home"), jars = home.resolve("jars"), work = dir.toAbsolutePath().resolve("work");
        Files.createDirectories(jars);
        Files.createDirectories(work);
        try (var old = Files.list(jars)) {
            for (Path p : (Iterable<Path>) old::iterator) Files.delete(p);
        }
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && Files.isRegularFile(jar)) {
                Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", n++, jar.getFileName())), jar);
            }
        }
        Files.writeString(home.resolve("RELEASE"), ""); // Spark's launcher takes a home with RELEASE to keep its jars in jars/
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> flags = List.of(org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"));
        StandaloneCluster c = new StandaloneCluster();
        Runtime.getRuntime().addShutdownHook(c.hook);
        try {
            int port = freePort();
            c.launch(dir.resolve("master.log"), home, java, flags, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
            c.master = "spark://127.0.0.1:" + port;
            Path workerLog = dir.resolve("worker.log");
            c.launch(workerLog, home, java, flags, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", Integer.toString(Runtime.getRuntime().availableProcessors()), "--memory", "6g",
                    "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(), c.master);
            for (int i = 0; ; i++) {
                if (Files.exists(workerLog) && Files.readString(workerLog).contains("Successfully registered with master")) break;
                if (i == 120) throw new IOException("the worker did not register with " + c.master + " in 60 s; see " + workerLog);
                Thread.sleep(500);
            }
            System.out.println("standalone cluster: master " + c.master + ", one worker, logs in " + dir);
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void launch(Path log, Path home, String java, List<String> flags, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.13");
        processes.add(pb.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void stop() {
        for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).destroy(); // the worker first: it stops its executors
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now
        }
    }
}
