package io.canvasflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.testsupport.TopicReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's section "Against a Kafka cluster", run as written: the test reads its {@code bash}
 * block from README.md, so that the commands a user copies and the commands tested cannot drift,
 * and runs each line as a process of its own, in order: {@code broker} and both {@code serve}s in
 * the background (as in their own terminals), the others to their end.
 *
 * <p>The only changes to the lines, all mechanical:
 *
 * <ul>
 *   <li>{@code ./canvasflow ARGS} is the launcher's {@code java} line: {@code java -Xmx1g
 *       -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dcanvasflow.home=CHECKOUT -cp TEST_CLASSPATH
 *       ...CanvasflowCli ARGS}, with this test's class path instead of {@code
 *       cli/target/canvasflow.jar} (which {@code mvn verify} packages only after the tests) and a 1
 *       GiB heap instead of the launcher's 6 GiB default ({@code CANVASFLOW_HEAP}), since five JVMs
 *       share the machine; the child halts when the test JVM goes.
 *   <li>Port 9092 is a free port, and {@code broker} gets {@code --port} that port and {@code
 *       --controller-port} another (its defaults are 9092 and 9093); ports 8081 and 8082 are free
 *       ports.
 *   <li>{@code .canvasflow/serve-N} is {@code serve-N} in a temporary directory.
 * </ul>
 *
 * Frame counts, durations and every other option run as written. Where a user waits, the test
 * waits: for {@code broker} to print that it is ready, and for each {@code serve} to answer UP on
 * {@code /health}, before the next line. {@code curl} lines run with bash when curl is installed,
 * else their URLs are fetched with Java's HTTP client.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClusterReadmeTest {

    private static final String SECTION = "## Against a Kafka cluster";
    private static final Duration BROKER_START = Duration.ofSeconds(60);
    private static final Duration SERVE_START = Duration.ofSeconds(120);
    private static final Duration COMMAND_RUN = Duration.ofSeconds(150);
    private static final Duration STOP = Duration.ofSeconds(60);

    @TempDir Path dir;

    private final Map<String, Long> millis = new LinkedHashMap<>();

    @Test
    void shouldRunTheAgainstAKafkaClusterSectionAsWritten() throws Exception {
        // Given the section's commands, with free ports and temporary state directories
        Path checkout = checkout();
        List<String> lines =
                bashBlock(Files.readString(checkout.resolve("README.md"), StandardCharsets.UTF_8));
        int[] ports = freePorts(4);
        Map<Pattern, String> substitutions = new LinkedHashMap<>();
        substitutions.put(Pattern.compile("\\b9092\\b"), Integer.toString(ports[0]));
        substitutions.put(Pattern.compile("\\b8081\\b"), Integer.toString(ports[2]));
        substitutions.put(Pattern.compile("\\b8082\\b"), Integer.toString(ports[3]));
        substitutions.put(
                Pattern.compile("\\.canvasflow/serve-(\\d+)"),
                Matcher.quoteReplacement(dir.toString()) + "/serve-$1");
        List<Background> background = new ArrayList<>();
        Map<String, String> outputs = new HashMap<>();
        List<String> published = null;
        Map<String, Long> framesPerCamera = Map.of();
        long publishedFrames = -1;

        try {
            // When each line runs in order
            for (int i = 0; i < lines.size(); i++) {
                String written = lines.get(i);
                String line = written;
                for (Map.Entry<Pattern, String> s : substitutions.entrySet()) {
                    line = s.getKey().matcher(line).replaceAll(s.getValue());
                }
                String step = (i + 1) + ": " + written;
                long start = System.nanoTime();
                if (line.startsWith("./canvasflow ")) {
                    List<String> args = canvasflowArgs(line);
                    String command = args.get(0);
                    Path log = dir.resolve("line-" + (i + 1) + "-" + command + ".log");
                    if (command.equals("broker")) {
                        args.addAll(
                                List.of(
                                        "--port",
                                        Integer.toString(ports[0]),
                                        "--controller-port",
                                        Integer.toString(ports[1])));
                        Background broker = Background.start(step, args, log, checkout);
                        background.add(broker);
                        broker.await(
                                () -> broker.log().contains("Kafka broker ready at"), BROKER_START);
                    } else if (command.equals("serve")) {
                        Background serve = Background.start(step, args, log, checkout);
                        background.add(serve);
                        int port = Integer.parseInt(valueOf(args, "--http-port"));
                        serve.await(() -> get(port, "/health").contains("\"UP\""), SERVE_START);
                    } else {
                        Process process = startCanvasflow(args, log, checkout);
                        boolean ended = process.waitFor(COMMAND_RUN.toSeconds(), TimeUnit.SECONDS);
                        if (!ended) {
                            process.destroyForcibly();
                        }
                        String output = read(log);
                        // Then each command runs to its end and exits 0
                        assertTrue(
                                ended, step + " still ran after " + COMMAND_RUN + ":\n" + output);
                        assertEquals(0, process.exitValue(), step + "\n" + output);
                        outputs.put(command, output);
                        if (command.equals("publish")) {
                            published = cameraIds(written);
                            framesPerCamera = syntheticFrames(written);
                            publishedFrames =
                                    framesPerCamera.values().stream()
                                            .mapToLong(Long::longValue)
                                            .sum();
                        }
                    }
                } else if (line.startsWith("curl ")) {
                    if (line.contains("/health")) {
                        // Then both instances say UP
                        String health = curl(line);
                        assertEquals(2, occurrences(health, "\"status\":\"UP\""), step + health);
                    } else if (line.contains("/cameras")) {
                        // Then between them the instances name every published camera, on
                        // partitions that neither shares
                        assertCamerasSplit(step, line, published);
                    } else {
                        fail("the test knows what to check only of /health and /cameras: " + step);
                    }
                } else {
                    fail("the test runs ./canvasflow and curl lines only: " + step);
                }
                millis.put(step, (System.nanoTime() - start) / 1_000_000);
            }

            // and publish sent every frame the line asks for, and masks saw a mask for each
            assertTrue(
                    outputs.containsKey("publish") && outputs.containsKey("masks"),
                    lines.toString());
            assertTrue(
                    Pattern.compile("(?m)^total +" + publishedFrames + " frames")
                            .matcher(outputs.get("publish"))
                            .find(),
                    outputs.get("publish"));
            assertTrue(
                    outputs.get("masks")
                            .contains(
                                    publishedFrames
                                            + " masks from "
                                            + published.size()
                                            + " cameras"),
                    outputs.get("masks"));

            // and the masks topic holds one mask for each of those frames, none twice
            Map<String, Set<Long>> sequences = new TreeMap<>();
            int records = 0;
            for (ConsumerRecord<String, MaskEvent> mask :
                    TopicReader.readFromBeginning(
                            "localhost:" + ports[0],
                            Topics.MASKS,
                            (int) publishedFrames,
                            Duration.ofSeconds(30))) {
                sequences
                        .computeIfAbsent(mask.key(), k -> new TreeSet<>())
                        .add(mask.value().getSequence());
                records++;
            }
            assertEquals(publishedFrames, records, sequences.toString());
            Map<String, Set<Long>> expected = new TreeMap<>();
            framesPerCamera.forEach(
                    (camera, n) ->
                            expected.put(
                                    camera,
                                    new TreeSet<>(LongStream.range(0, n).boxed().toList())));
            assertEquals(expected, sequences);

            // When everything still running gets SIGTERM (Ctrl-C's twin), the last started first
            for (int i = background.size() - 1; i >= 0; i--) {
                Background process = background.get(i);
                long start = System.nanoTime();
                int exit = process.stop();
                millis.put("SIGTERM " + process.step(), (System.nanoTime() - start) / 1_000_000);

                // Then each stops cleanly: serve says 0 for a requested stop (its documented exit
                // status); the broker is a JVM that ran its shutdown hooks on SIGTERM, 143
                boolean serve = process.step().contains(" serve ");
                assertEquals(serve ? 0 : 143, exit, process.step() + "\n" + process.log());
                String closed =
                        serve ? "Kafka Streams state PENDING_SHUTDOWN -> NOT_RUNNING" : "stopped";
                assertTrue(process.log().contains(closed), process.step() + "\n" + process.log());
            }
        } finally {
            background.forEach(Background::kill);
            System.out.println("ClusterReadmeTest times (ms): " + millis);
        }
    }

    /** The lines of the bash block under the section's heading, without comments or blanks. */
    static List<String> bashBlock(String readme) {
        int section = readme.indexOf(SECTION + "\n");
        assertTrue(section >= 0, "README.md has no section '" + SECTION + "'");
        int open = readme.indexOf("```bash\n", section);
        int next = readme.indexOf("\n## ", section + 1);
        assertTrue(open >= 0 && (next < 0 || open < next), "no bash block in " + SECTION);
        int close = readme.indexOf("\n```", open);
        List<String> lines = new ArrayList<>();
        for (String line : readme.substring(open + "```bash\n".length(), close).split("\n")) {
            String command = line.replaceFirst("\\s+#.*$", "").strip();
            if (!command.isEmpty() && !command.startsWith("#")) {
                lines.add(command);
            }
        }
        return lines;
    }

    /** A {@code ./canvasflow} line's arguments; it must need no shell to split it. */
    private static List<String> canvasflowArgs(String line) {
        assertFalse(
                line.matches(".*[\"'`$|&;<>()\\\\].*"),
                "a ./canvasflow line that needs a shell to run: " + line);
        List<String> words = new ArrayList<>(List.of(line.split("\\s+")));
        words.remove(0);
        return words;
    }

    private static Process startCanvasflow(List<String> args, Path log, Path checkout)
            throws IOException {
        return ChildJvm.start(
                List.of("-Xmx1g", "-Dcanvasflow.home=" + checkout), Canvasflow.class, args, log);
    }

    private void assertCamerasSplit(String step, String line, List<String> cameras)
            throws Exception {
        assertTrue(cameras != null, "a /cameras line before publish: " + step);
        // Serve counts a camera once its first mask is out and may still be settling a
        // rebalance: ask again, as a user would, for up to 30 s.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String reply;
        Map<String, Integer> cameraPartitions;
        List<List<Integer>> owned;
        while (true) {
            reply = curl(line);
            owned = new ArrayList<>();
            Matcher partitions = Pattern.compile("\"partitions\":\\[([0-9,]*)]").matcher(reply);
            while (partitions.find()) {
                List<Integer> list = new ArrayList<>();
                for (String p : partitions.group(1).split(",")) {
                    if (!p.isEmpty()) {
                        list.add(Integer.parseInt(p));
                    }
                }
                owned.add(list);
            }
            cameraPartitions = new TreeMap<>();
            Matcher camera =
                    Pattern.compile("\"camera\":\"([^\"]+)\",\"partition\":(\\d+)").matcher(reply);
            while (camera.find()) {
                cameraPartitions.put(camera.group(1), Integer.parseInt(camera.group(2)));
            }
            boolean settled =
                    occurrences(reply, "\"state\":\"RUNNING\"") == 2
                            && cameraPartitions.keySet().equals(new TreeSet<>(cameras));
            if (settled || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(2, owned.size(), step + "\n" + reply);
        assertEquals(new TreeSet<>(cameras), cameraPartitions.keySet(), step + "\n" + reply);
        Set<Integer> seen = new TreeSet<>();
        for (List<Integer> instance : owned) {
            for (int p : instance) {
                assertTrue(seen.add(p), "partition " + p + " owned twice: " + reply);
            }
        }
        for (int p : cameraPartitions.values()) {
            assertTrue(seen.contains(p), "a camera on partition " + p + " nobody owns: " + reply);
        }
    }

    /** Runs a curl line with bash, or fetches its URLs where curl is not installed. */
    private static String curl(String line) throws Exception {
        if (onPath("curl")) {
            Process process =
                    new ProcessBuilder("bash", "-c", line).redirectErrorStream(true).start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), line);
            assertEquals(0, process.exitValue(), line + "\n" + output);
            return output;
        }
        StringBuilder output = new StringBuilder();
        Matcher url = Pattern.compile("curl -s (\\S+)").matcher(line);
        while (url.find()) {
            String[] hostPath = url.group(1).split("/", 2);
            output.append(get(Integer.parseInt(hostPath[0].split(":")[1]), "/" + hostPath[1]));
        }
        return output.toString();
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }

    /** GET http://localhost:PORT/PATH; empty while nothing answers. */
    private static String get(int port, String path) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String valueOf(List<String> args, String option) {
        int at = args.indexOf(option);
        assertTrue(at >= 0 && at + 1 < args.size(), option + " in " + args);
        return args.get(at + 1);
    }

    private static List<String> cameraIds(String publishLine) {
        List<String> ids = new ArrayList<>();
        Matcher camera = Pattern.compile("--camera (\\S+?)=").matcher(publishLine);
        while (camera.find()) {
            ids.add(camera.group(1));
        }
        assertFalse(ids.isEmpty(), publishLine);
        return ids;
    }

    /** Each camera's frame count: {@code --camera ID=synthetic:SCENE:FRAMES}. */
    private static Map<String, Long> syntheticFrames(String publishLine) {
        Map<String, Long> frames = new TreeMap<>();
        Matcher camera =
                Pattern.compile("--camera (\\S+?)=synthetic:\\d+:(\\d+)").matcher(publishLine);
        while (camera.find()) {
            frames.put(camera.group(1), Long.parseLong(camera.group(2)));
        }
        assertEquals(
                new TreeSet<>(cameraIds(publishLine)),
                frames.keySet(),
                "every camera synthetic, with a frame count: " + publishLine);
        return frames;
    }

    private static int occurrences(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
        return ports;
    }

    /** The checkout this test runs in: the first folder up from here with README.md and cli/. */
    private static Path checkout() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md"))
                    && Files.isDirectory(p.resolve("cli"))) {
                return p;
            }
        }
        throw new IllegalStateException("no README.md above " + Path.of("").toAbsolutePath());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** A command that runs until stopped, as in a terminal of its own. */
    private record Background(String step, Process process, Path logFile) {

        static Background start(String step, List<String> args, Path log, Path checkout)
                throws IOException {
            return new Background(step, startCanvasflow(args, log, checkout), log);
        }

        String log() {
            return read(logFile);
        }

        /** Waits until {@code ready}, failing if the process ends first or time runs out. */
        void await(BooleanSupplier ready, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!ready.getAsBoolean()) {
                if (!process.isAlive()) {
                    fail(step + " ended with " + process.exitValue() + ":\n" + log());
                }
                if (System.nanoTime() > deadline) {
                    fail(step + " not ready after " + limit + ":\n" + log());
                }
                Thread.sleep(250);
            }
        }

        /** Sends SIGTERM and returns the exit status. */
        int stop() throws InterruptedException {
            assertTrue(process.isAlive(), step + " died before it was stopped:\n" + log());
            // Through the handle: Process.destroy() would also close the child's standard input,
            // which its watchdog takes for the end of this JVM and halts at once.
            assertTrue(process.toHandle().destroy(), step);
            assertTrue(
                    process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS),
                    step + " still ran " + STOP + " after SIGTERM:\n" + log());
            return process.exitValue();
        }

        void kill() {
            process.destroyForcibly();
        }
    }

    /** {@code canvasflow} in a child JVM that halts when this test's JVM goes. */
    static final class Canvasflow {
        private Canvasflow() {}

        public static void main(String[] args) {
            ChildJvm.haltWhenParentGoes();
            CanvasflowCli.main(args);
        }
    }
}
