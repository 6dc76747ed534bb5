package io.canvasflow.trainer.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.kafka.BrokerExtension;
import io.canvasflow.schemas.Topics;
import io.canvasflow.testsupport.ChildJvm;
import io.canvasflow.testsupport.ChildLog;
import io.canvasflow.testsupport.TopicReader;
import io.canvasflow.trainer.SquareFootage;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code label} stopped mid-run as a user stops it (SIGTERM from a supervisor, SIGINT from Ctrl-C):
 * it reads no further frame, writes what it labelled (a topic's last transaction committed, a VOC
 * folder moved into place, no {@code .partial} folder left) and says so.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LabelShutdownTest {

    private static final int FRAMES = 600;

    private static final Pattern WRITTEN =
            Pattern.compile(
                    "canvasflow label: stopped by Ctrl-C or SIGTERM after \\d+ frames read; the"
                            + " (\\d+) frames labelled are written to ");

    @RegisterExtension static final BrokerExtension kafka = new BrokerExtension();

    @TempDir static Path footage;

    @TempDir Path dir;

    @BeforeAll
    static void writeFootage() {
        // large enough frames that labelling them all takes seconds, a square always moving
        SquareFootage.writePngs(
                footage,
                FRAMES,
                t ->
                        SquareFootage.frame(
                                320,
                                240,
                                SquareFootage.STREET,
                                Color.WHITE,
                                new Rectangle(10 + (t * 3) % 260, 60, 40, 60)));
    }

    @ParameterizedTest
    @CsvSource({"TERM, voc", "INT, topic"})
    void shouldWriteWhatWasLabelledWhenStoppedMidRun(String signal, String destination)
            throws Exception {
        // Given label running over the footage into a VOC folder or a topic
        Path voc = dir.resolve("voc");
        String topic = "labelled-" + signal;
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--source",
                                footage.toString(),
                                "--camera",
                                "cam",
                                "--warm-up",
                                "5"));
        args.addAll(
                destination.equals("voc")
                        ? List.of("--voc", voc.toString())
                        : List.of(
                                "--to-topic",
                                topic,
                                "--bootstrap-servers",
                                kafka.bootstrapServers()));
        Process label =
                ChildJvm.startInterruptible(
                        List.of("-Xmx384m", "-XX:+UseSerialGC"),
                        ChildLabel.class,
                        args,
                        dir.resolve("label.log"));
        try {
            awaitLog(label, "labelled 100 frames");

            // When it gets the signal mid-run
            new ProcessBuilder("kill", "-" + signal, Long.toString(label.pid())).start().waitFor();

            // Then it exits as a JVM that ran its shutdown hooks exits on that signal
            assertTrue(label.waitFor(60, TimeUnit.SECONDS), "label ignored SIG" + signal + log());
            assertEquals(128 + (signal.equals("TERM") ? 15 : 2), label.exitValue(), log());
            // and says how many frames it wrote, stopped part way
            Matcher said = WRITTEN.matcher(log());
            assertTrue(said.find(), log());
            int written = Integer.parseInt(said.group(1));
            assertTrue(written >= 100 && written < FRAMES - 5, written + log());
            // and wrote them: the whole folder, no partial one; or committed to the topic
            if (destination.equals("voc")) {
                assertEquals(written, count(voc.resolve("SegmentationClassPNG")), log());
                assertEquals(written, count(voc.resolve("JPEGImages")), log());
                try (Stream<Path> left = Files.list(dir)) {
                    assertTrue(
                            left.noneMatch(p -> p.getFileName().toString().contains("partial")),
                            log());
                }
            } else {
                assertEquals(
                        written,
                        TopicReader.readFromBeginning(
                                        kafka.bootstrapServers(),
                                        Topics.FRAMES_LABELLED.withName(topic),
                                        written,
                                        Duration.ofSeconds(20))
                                .size(),
                        log());
            }
        } finally {
            label.destroyForcibly();
        }
    }

    private void awaitLog(Process label, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (log().contains(line)) {
                return;
            }
            assertTrue(label.isAlive(), "label ended before '" + line + "'" + log());
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + line + "'" + log());
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }

    private String log() {
        return ChildLog.text("label's output", dir.resolve("label.log"));
    }
}
