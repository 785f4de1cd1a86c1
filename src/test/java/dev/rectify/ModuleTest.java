package dev.rectify;

import dev.rectify.kernels.Kernels;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library as a module, as a modular user sees it: only the API packages are exported, the Vector API is a
 * static dependency, and the command runs from the module path on the SIMD path with the flag and on the scalar
 * path without it (the tests themselves run on the class path, where the descriptor is ignored).
 */
class ModuleTest {
    static Path classes() throws Exception {
        return Path.of(Kernels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static ModuleDescriptor descriptor() throws Exception {
        return ModuleFinder.of(classes()).find("dev.rectify").orElseThrow().descriptor();
    }

    @Test
    void onlyTheApiPackagesAreExported() throws Exception {
        ModuleDescriptor d = descriptor();
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("dev.rectify.data", "dev.rectify.diagnostics", "dev.rectify.kernels",
                "dev.rectify.nn", "dev.rectify.report", "dev.rectify.spark")), exported);
        for (ModuleDescriptor.Exports e : d.exports()) {
            assertTrue(e.targets().isEmpty(), "exported to everyone: " + e);
        }
        assertTrue(d.packages().contains("dev.rectify.kernels.internal.simd"), "the internals are in the module");
    }

    @Test
    void theVectorApiIsAStaticDependency() throws Exception {
        ModuleDescriptor.Requires vector = descriptor().requires().stream()
                .filter(r -> r.name().equals("jdk.incubator.vector")).findFirst().orElseThrow();
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), vector.modifiers());
    }

    static String run(boolean flag) throws Exception {
        String picocli = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> p.contains("picocli")).findFirst().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (flag) {
            cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        cmd.addAll(List.of("-p", classes() + File.pathSeparator + picocli, "--add-modules", "info.picocli",
                "-m", "dev.rectify/dev.rectify.cli.Main", "info"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finishes");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void theCommandRunsFromTheModulePathOnTheSimdPathWithTheFlag() throws Exception {
        String out = run(true);
        assertTrue(out.contains("Kernel path:  simd"), out);
    }

    @Test
    void withoutTheFlagTheModuleTakesTheScalarPathAndNamesTheFlag() throws Exception {
        String out = run(false);
        assertTrue(out.contains("Kernel path:  scalar"), out);
        assertTrue(out.contains(Kernels.FLAG), out);
    }
}
