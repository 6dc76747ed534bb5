package io.canvasflow.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The launchers' own checks ({@code ./canvasflow} and the image's {@code canvasflow-serve}), which
 * run before any jar is needed: a setting the JVM would refuse in its own several lines, with
 * status 1, is one sentence and status 2.
 */
class LauncherTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({"canvasflow, bash", "deploy/docker/canvasflow-serve, sh"})
    void shouldSayInOneSentenceAJavaOptsFlagJavaRefuses(String launcher, String shell)
            throws Exception {
        String name = Path.of(launcher).getFileName().toString();
        // Before, the JVM said "Unrecognized option: -Xfoo", "Error: Could not create the Java
        // Virtual Machine." and "Error: A fatal exception has occurred.", with status 1
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Dok=1 -Xfoo\" with a heap of 6g"
                                        + " (Unrecognized option: -Xfoo); fix or unset it")),
                run(shell, launcher, Map.of("JAVA_OPTS", "-Dok=1 -Xfoo")));
        // the same where the environment has JVM options of its own, which java announces
        assertEquals(
                2,
                run(shell, launcher, Map.of("JAVA_OPTS", "-Xfoo", "JDK_JAVA_OPTIONS", "-Dx=1"))
                        .status());
        assertEquals(
                List.of(
                        name
                                + ": java refuses JAVA_OPTS=\"-Xfoo\" with a heap of 6g"
                                + " (Unrecognized option: -Xfoo); fix or unset it"),
                run(shell, launcher, Map.of("JAVA_OPTS", "-Xfoo", "JAVA_TOOL_OPTIONS", "-Dx=1"))
                        .stderr());
        // and the line that says why, not the JVM's first
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Xms8g\" with a heap of 1g (Initial"
                                        + " heap size set to a larger value than the maximum heap"
                                        + " size); fix or unset it")),
                run(shell, launcher, Map.of("JAVA_OPTS", "-Xms8g", "CANVASFLOW_HEAP", "1g")));
        // empty but set, the environment's own options made java print "Picked up" lines and a
        // blank one, which were quoted instead of the stack size java refuses
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Xss1k\" with a heap of 1g (The"
                                        + " Java thread stack size specified is too small. Specify at"
                                        + " least 136k); fix or unset it")),
                run(
                        shell,
                        launcher,
                        Map.of(
                                "JAVA_OPTS", "-Xss1k",
                                "CANVASFLOW_HEAP", "1g",
                                "JDK_JAVA_OPTIONS", "",
                                "JAVA_TOOL_OPTIONS", "")));
        // an -Xlog flag that logs to stdout or stderr is tried (it was left out, and java said
        // four lines with status 1); one that writes a file is still left out of the trial
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Xlog:foo\" with a heap of 6g"
                                        + " (Invalid tag 'foo' in log selection.); fix or unset it")),
                run(shell, launcher, Map.of("JAVA_OPTS", "-Xlog:foo")));
        // and the info lines such a flag logs before java fails are not taken for the reason
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Xlog:gc* -Xmx100t\" with a"
                                        + " heap of 6g (Could not reserve enough space for"
                                        + " 107374182400KB object heap); fix or unset it")),
                run(shell, launcher, Map.of("JAVA_OPTS", "-Xlog:gc* -Xmx100t")));
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": java refuses JAVA_OPTS=\"-Xlog:gc:file=/no/such/dir/gc.log"
                                        + " -Xfoo\" with a heap of 6g (Unrecognized option: -Xfoo); fix"
                                        + " or unset it")),
                run(
                        shell,
                        launcher,
                        Map.of("JAVA_OPTS", "-Xlog:gc:file=/no/such/dir/gc.log -Xfoo")));
        // as for the heap
        assertEquals(
                new Outcome(
                        2,
                        List.of(
                                name
                                        + ": CANVASFLOW_HEAP=lots is not a heap size; give one like"
                                        + " 2g or 512m")),
                run(shell, launcher, Map.of("CANVASFLOW_HEAP", "lots")));
    }

    @Test
    void shouldFindItsCheckoutThroughALinkAndSayWhenTheBuildHasNoLibraries(@TempDir Path dir)
            throws Exception {
        // Given a checkout whose jar is built but whose lib/ is empty, and a link to its launcher
        // elsewhere (as in ~/bin)
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("cli/target/lib"));
        Files.writeString(checkout.resolve("cli/target/canvasflow.jar"), "not run");
        Files.copy(ROOT.resolve("canvasflow"), checkout.resolve("canvasflow"));
        Path link = Files.createDirectories(dir.resolve("bin")).resolve("canvasflow");
        Files.createSymbolicLink(link, checkout.resolve("canvasflow"));

        // When it runs through the link, then it names the checkout's lib/, not bin/'s jar
        // (the JVM said NoClassDefFoundError, and the link 'bin/cli/target/canvasflow.jar is
        // missing')
        assertEquals(
                new Outcome(
                        1,
                        List.of(
                                "canvasflow: "
                                        + checkout.toRealPath()
                                        + "/cli/target/lib holds no jars; build it first with: mvn"
                                        + " -q -B install -DskipTests")),
                run("bash", link, Map.of()));
    }

    /** Runs a launcher with {@code --version} and the given environment. */
    private static Outcome run(String shell, String launcher, Map<String, String> environment)
            throws Exception {
        return run(shell, ROOT.resolve(launcher), environment);
    }

    private static Outcome run(String shell, Path script, Map<String, String> environment)
            throws Exception {
        String launcher = script.toString();
        assertTrue(Files.exists(script), "no launcher at " + script);
        Path err = Files.createTempFile("launcher", ".err");
        ProcessBuilder builder =
                new ProcessBuilder(shell, script.toString(), "--version")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(err.toFile());
        for (String inherited :
                List.of(
                        "JAVA_OPTS",
                        "CANVASFLOW_HEAP",
                        "JAVA_TOOL_OPTIONS",
                        "JDK_JAVA_OPTIONS",
                        "_JAVA_OPTIONS")) {
            builder.environment().remove(inherited);
        }
        builder.environment().putAll(environment);
        Process process = builder.start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(launcher + " did not finish in 30 s");
            }
            return new Outcome(process.exitValue(), Files.readAllLines(err));
        } finally {
            Files.delete(err);
        }
    }

    private record Outcome(int status, List<String> stderr) {}
}
