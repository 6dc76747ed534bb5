package io.canvasflow.tools.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.canvasflow.cli.options.DurationConverter;
import io.canvasflow.testsupport.CommandRun;
import io.canvasflow.testsupport.Refusals;
import io.canvasflow.tools.ShippedModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code canvasflow demo} end to end on its own embedded broker with the shipped model: every
 * published frame comes back as exactly one mask event, and the report says so.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DemoCommandTest {

    @TempDir Path out;

    private final StringWriter stdout = new StringWriter();
    private final StringWriter stderr = new StringWriter();

    @Test
    void shouldWriteAReportWithAMaskForEveryFrameOfTheSyntheticCameras() throws Exception {
        // Given two synthetic cameras of 12 frames, published as fast as possible
        // When the demo runs, with its live view on a free port
        int exit = demo("--cameras", "2", "--frames", "12", "--max-rate", "--view-port", "0");

        // Then it exits 0 and its report holds every frame once, with a real mIoU
        assertEquals(0, exit, stderr + "\n" + stdout);
        JsonObject report = report();
        assertEquals(List.of("24 published", "24 masks", "true"), totals(report));
        for (JsonElement camera : report.getAsJsonArray("cameras")) {
            assertEquals(List.of(12, 12, 0, 0), counts(camera), camera.toString());
        }
        double miou = report.get("miou").getAsDouble();
        assertTrue(miou > 0.3 && miou <= 1, "a trained model's mIoU, not chance: " + miou);
        assertTrue(
                stdout.toString().contains("Report: " + out.toAbsolutePath()), stdout.toString());
        // and it said where the live view was, on the console and in the report
        Matcher url =
                Pattern.compile("Live view at (http://127\\.0\\.0\\.1:\\d+/)")
                        .matcher(stdout.toString());
        assertTrue(url.find(), stdout.toString());
        assertTrue(
                Files.readString(out.resolve("report.md"))
                        .contains("The live view was at <" + url.group(1) + ">"));
        assertEquals(url.group(1), report.get("liveView").getAsString());
    }

    @Test
    void shouldStartPublishingOnlyOnceTheTopologyRuns() throws Exception {
        // Given the demo's console and the log in one stream, in the order they were written
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        PrintStream log = System.err;
        int exit;
        try {
            System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));

            // When a demo of one short camera runs
            exit =
                    new CommandLine(new DemoCommand())
                            .setOut(new PrintWriter(System.err, true))
                            .setErr(new PrintWriter(System.err, true))
                            .execute(
                                    withOutAndModel("--cameras", "1", "--frames", "5", "--no-view")
                                            .toArray(String[]::new));
        } finally {
            System.setErr(log);
        }

        // Then it said that it publishes only after Kafka Streams was running: frames sent
        // during the rebalance waited for it, and the lag watch warned of a camera behind
        String said = both.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, said);
        int running = said.indexOf("Kafka Streams state REBALANCING -> RUNNING");
        int publishing = said.indexOf("; publishing...");
        assertTrue(running >= 0 && publishing >= 0, said);
        assertTrue(running < publishing, said);
    }

    @Test
    void shouldStopCleanlyWhenInterruptedAndSaySoInItsReport() throws Exception {
        // Given a demo far from its end, its masks coming in
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running =
                startDemo(
                        exit,
                        withOutAndModel("--cameras", "1", "--frames", "400", "--view-port", "0"));
        Path video = out.resolve("overlays").resolve("synthetic-0.mp4");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(video) || Files.size(video) < 50_000) {
            assertTrue(System.nanoTime() < deadline, stdout.toString());
            Thread.sleep(100);
        }

        // When it is interrupted, as its Ctrl-C hook does
        running.interrupt();
        running.join(Duration.ofMinutes(1).toMillis());

        // Then it ends with 130 and one line, its report note says it stopped (not "Running"),
        // and the overlay video made so far is finished: it has its index
        assertEquals(130, exit.get(), stderr + "\n" + stdout);
        assertEquals(
                "canvasflow demo: stopped before the end; no report was written",
                stderr.toString().strip());
        assertTrue(
                Files.readString(out.resolve("report.md")).contains("The demo stopped before its"),
                Files.readString(out.resolve("report.md")));
        assertTrue(
                new String(Files.readAllBytes(video), java.nio.charset.StandardCharsets.ISO_8859_1)
                        .contains("moov"),
                "the MP4 has no index");
    }

    @Test
    void shouldLeaveNoEmptyReportFolderWhenStoppedEarly() throws Exception {
        // Given a demo without the live view writing to a folder that is not there yet
        Path report = out.resolve("not-yet/report");
        AtomicInteger exit = new AtomicInteger(-1);
        Thread running =
                startDemo(
                        exit,
                        List.of(
                                "--out",
                                report.toString(),
                                "--model",
                                ShippedModels.rnn().toString(),
                                "--no-view"));
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!Files.isDirectory(report)) {
            assertTrue(System.nanoTime() < deadline, stdout.toString());
            Thread.sleep(5);
        }

        // When it is stopped, as its Ctrl-C hook does, before it has written anything
        running.interrupt();
        running.join(Duration.ofMinutes(1).toMillis());

        // Then it ended (130, or 1 where the interrupt, not from the hook here, broke the broker's
        // start) and the folders it made are gone (an empty report folder stayed)
        assertTrue(exit.get() == 130 || exit.get() == 1, stderr + "\n" + stdout);
        assertFalse(Files.exists(out.resolve("not-yet")), "the demo left an empty report folder");
    }

    @Test
    void shouldStopBeforeStartingAnythingWhenTheViewPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int exit = demo("--view-port", Integer.toString(taken.getLocalPort()));

            assertEquals(2, exit, stdout.toString());
            assertTrue(
                    stderr.toString()
                            .startsWith(
                                    "canvasflow demo: the live view could not listen on 127.0.0.1:"
                                            + taken.getLocalPort()),
                    stderr.toString());
            assertEquals(1, stderr.toString().lines().count(), stderr.toString());
            assertFalse(stdout.toString().contains("Kafka at"), stdout.toString());
        }
    }

    /** Debian's opencv-doc street clip; set CANVASFLOW_VTEST to the path of vtest.avi. */
    @Test
    @EnabledIfEnvironmentVariable(named = "CANVASFLOW_VTEST", matches = ".+")
    void shouldReturnOneMaskForEachOfTheRealVideosFrames() throws Exception {
        // Given vtest.avi (795 frames), scaled down so that the test stays short, as fast as
        // possible, without synthetic cameras
        Path video = Path.of(System.getenv("CANVASFLOW_VTEST"));

        // When it goes through publish -> topology -> masks
        int exit =
                demo(
                        "--cameras",
                        "0",
                        "--video",
                        video.toString(),
                        "--video-size",
                        "192x144",
                        "--max-rate",
                        "--no-view");

        // Then all 795 frames come back once each
        assertEquals(0, exit, stderr + "\n" + stdout);
        JsonElement camera = report().getAsJsonArray("cameras").get(0);
        assertEquals(List.of(795, 795, 0, 0), counts(camera), camera.toString());
    }

    @Test
    void shouldRefuseAVideoThatIsNotAVideoBeforeStartingAnything() throws Exception {
        // Given a text file passed as the video
        Path notes = out.resolve("notes.txt");
        java.nio.file.Files.writeString(notes, "not a video");
        long start = System.nanoTime();

        // When the demo starts
        int status = demo("--video", notes.toString());

        // Then it says so in one line, at once: no broker, no topology, no report
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, status, stderr.toString());
        assertTrue(
                stderr.toString().contains("FFmpeg cannot read " + notes + " as a video"),
                stderr.toString());
        assertTrue(seconds < 5, seconds + " s");
        assertTrue(!java.nio.file.Files.exists(out.resolve("report.json")));
    }

    @Test
    void shouldTakeTheTimeoutInTheDurationFormatOfMasks() {
        for (String value : List.of("30s", "5m", "PT1H")) {
            DemoCommand demo = new DemoCommand();
            new CommandLine(demo).parseArgs("--timeout", value);

            assertEquals(new DurationConverter().convert(value), demo.timeout, value);
        }
        DemoCommand defaults = new DemoCommand();
        new CommandLine(defaults).parseArgs();
        assertEquals(Duration.ofMinutes(4), defaults.timeout);
    }

    @Test
    void shouldRefuseABadTimeoutOrVideoSizeOrAVideoOptionWithoutAVideoBeforeStartingAnything() {
        Map<List<String>, String> refusals =
                Map.of(
                        withOutAndModel("--timeout", "soon"),
                        "Invalid value for option '--timeout': expected a duration such as 500ms,"
                                + " 30s, 5m, 1h or PT30S but found 'soon'",
                        withOutAndModel("--timeout", "0s"),
                        "expected a positive --timeout but found PT0S",
                        withOutAndModel("--video-size", "wide"),
                        "--video-size expects WIDTHxHEIGHT, each from 1 to 8192, for example 640x360, not 'wide'",
                        // made three topics and no progress
                        withOutAndModel("--threads", "999"),
                        "expected --threads from 1 to 12 but found 999: a stream thread beyond the"
                                + " 12 partitions of the frames topic frames gets no frame to"
                                + " segment",
                        // each ran, the option ignored
                        withOutAndModel("--no-view", "--view-port", "1234"),
                        "--view-port is the live view's port and --no-view turns the view off;"
                                + " give one or the other",
                        withOutAndModel("--keep-topics"),
                        "--keep-topics keeps the topics on the cluster of --bootstrap-servers; the"
                                + " embedded broker's go with it, so leave it out or give"
                                + " --bootstrap-servers",
                        // each ran with the option unused: there was no video to scale or limit
                        withOutAndModel("--video-size", "192x144"),
                        "--video-size applies to the frames of --video; give a --video or leave"
                                + " it out",
                        withOutAndModel("--video-frames", "10"),
                        "--video-frames applies to the frames of --video; give a --video or leave"
                                + " it out");
        for (CommandRun run : Refusals.assertEachRefused(DemoCommand::new, refusals)) {
            assertFalse(run.out().contains("Kafka at"), run.out());
        }
    }

    @Test
    void shouldRefuseAFileForOutABadModelOrAnAbsentClusterBeforeStartingAnything()
            throws Exception {
        Path file = Files.writeString(out.resolveSibling("not-a-folder.txt"), "x");
        Path emptyModel = Files.createDirectories(out.resolveSibling("empty-model"));
        Path unused = out.resolveSibling("unused-report");
        String model = ShippedModels.rnn().toString();
        Map<List<String>, String> refusals =
                Map.of(
                        List.of("--out", file.toString(), "--model", model),
                        "'--out': " + file + " is a file; give a folder to write",
                        List.of("--out", unused.toString(), "--model", emptyModel.toString()),
                        "--model: no model.json in " + emptyModel,
                        List.of(
                                "--out",
                                unused.toString(),
                                "--model",
                                model,
                                "--bootstrap-servers",
                                "127.0.0.1:1"),
                        "no Kafka broker at 127.0.0.1:1");
        for (CommandRun run : Refusals.assertEachRefused(DemoCommand::new, refusals)) {
            assertFalse(run.out().contains("Kafka at"), run.out());
        }
        assertFalse(Files.exists(unused), "the demo left an empty report folder");
    }

    private int demo(String... args) {
        return run(withOutAndModel(args));
    }

    private int run(List<String> args) {
        return new CommandLine(new DemoCommand())
                .setOut(new PrintWriter(stdout, true))
                .setErr(new PrintWriter(stderr, true))
                .execute(args.toArray(String[]::new));
    }

    /** Runs the demo on a thread of its own, which sets {@code exit} to its status at the end. */
    private Thread startDemo(AtomicInteger exit, List<String> args) {
        Thread running = new Thread(() -> exit.set(run(args)));
        running.start();
        return running;
    }

    /** {@code args} after --out (this test's folder) and --model (the shipped model). */
    private List<String> withOutAndModel(String... args) {
        List<String> all = new ArrayList<>(List.of("--out", out.toString()));
        all.addAll(List.of("--model", ShippedModels.rnn().toString()));
        all.addAll(List.of(args));
        return all;
    }

    private JsonObject report() throws Exception {
        return JsonParser.parseString(Files.readString(out.resolve("report.json")))
                .getAsJsonObject();
    }

    /** A camera's frames published, masks received, masks missing and duplicate masks. */
    private static List<Integer> counts(JsonElement element) {
        JsonObject camera = element.getAsJsonObject();
        return List.of(
                camera.get("published").getAsInt(),
                camera.get("masks").getAsInt(),
                camera.get("missing").getAsInt(),
                camera.get("duplicates").getAsInt());
    }

    private static List<String> totals(JsonObject report) {
        return List.of(
                report.get("published").getAsInt() + " published",
                report.get("masks").getAsInt() + " masks",
                String.valueOf(report.get("complete").getAsBoolean()));
    }
}
