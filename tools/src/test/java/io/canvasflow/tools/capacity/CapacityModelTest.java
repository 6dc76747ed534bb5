package io.canvasflow.tools.capacity;

import static io.canvasflow.testsupport.CommandAssertions.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.canvasflow.testsupport.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapacityModelTest {

    /**
     * A bench scale JSON whose runs follow 20 ms per frame + 0.5 ms per partition-second, and 10
     * commits per second of 8 ms + 0.07 ms per partition.
     */
    private static Map<String, Object> measured() {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int partitions : new int[] {4, 64, 512}) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("cameras", partitions);
            r.put("partitions", partitions);
            r.put("rateFps", 20.0);
            r.put("coresBusy", (20 * 20.0 + partitions * 0.5) / 1000);
            r.put("commitsPerSecond", partitions > 100 ? 4.0 : 10.0);
            r.put("msPerCommit", 8 + 0.07 * partitions);
            r.put("modelMs", 15.0);
            r.put("frameBytes", 6000.0);
            r.put("maskBytes", 1500.0);
            r.put("canvasBytesPerCamera", 9000.0);
            // 480 MB + 1.5 MB per partition + 10 kB per camera
            r.put("rssBytes", 480e6 + partitions * 1.5e6 + partitions * 10_000.0);
            runs.add(r);
        }
        Map<String, Object> small = new LinkedHashMap<>();
        small.put("cameras", 1000.0);
        small.put("changelogBytes", 9.0e6);
        small.put("restoreSeconds", 1.0);
        small.put("rssBytes", 400.0e6);
        Map<String, Object> large = new LinkedHashMap<>();
        large.put("cameras", 10000.0);
        large.put("changelogBytes", 90.0e6);
        large.put("restoreSeconds", 3.0);
        large.put("rssBytes", 490.0e6);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("runs", runs);
        json.put("restores", List.of(small, large));
        return json;
    }

    @Test
    void shouldRecoverTheCostOfAFrameAndOfAPartitionFromTheMeasuredRuns() {
        Measured m = Measured.fit(measured(), "test");

        assertEquals(20.0, m.cpuMsPerFrame(), 1e-9);
        assertEquals(0.5, m.cpuMsPerPartitionSecond(), 1e-9);
        assertEquals(30e6, m.restoreBytesPerSecond(), 1e-3);
        assertEquals(10_000.0, m.memory().perCamera(), 1e-9);
        assertEquals(1.5e6, m.memory().perPartition(), 1e-3);
        assertEquals(480e6, m.memory().base(), 1e-1);
        assertEquals(0.41, CapacityModel.coresBusy(m, 20, 4 * 5), 1e-9);
        // the commits: one per commit interval of a busy thread, the time a line in the partitions
        assertEquals(10.0, m.commits().perSecond(), 1e-9);
        assertEquals(8.0, m.commits().msBase(), 1e-9);
        assertEquals(0.07, m.commits().msPerPartition(), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldTakeTheRestoresByCameraCountNotByPlace() {
        // Given the restores in the order --restore 10000,1000 runs them: the most cameras first
        Map<String, Object> json = measured();
        List<Map<String, Object>> restores =
                new ArrayList<>((List<Map<String, Object>>) json.get("restores"));
        java.util.Collections.reverse(restores);
        json.put("restores", restores);

        // When the figures are fitted
        Measured m = Measured.fit(json, "test");

        // Then the restore rate is the largest restore's (90 MB in 3 s, not 9 MB in 1 s), and the
        // resident set per camera the same line
        assertEquals(30e6, m.restoreBytesPerSecond(), 1e-3);
        assertEquals(10_000.0, m.memory().perCamera(), 1e-9);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRefuseTwoRestoresOfTheSameCameraCountInOneSentence(@TempDir Path dir)
            throws Exception {
        // Given a bench scale JSON with two restores of 1,000 cameras
        Map<String, Object> json = measured();
        Map<String, Object> again =
                new LinkedHashMap<>(((List<Map<String, Object>>) json.get("restores")).get(0));
        json.put("restores", List.of(again, again));
        Path file =
                Files.writeString(
                        dir.resolve("twice.json"), io.canvasflow.tools.common.Json.pretty(json));

        // When capacity reads it
        CommandRun run = CommandRun.of(new CapacityCommand(), "--measured", file.toString());

        // Then it refuses in one sentence (it gave NaN per camera, '-' in the plan and status 0)
        assertEquals(2, run.exit(), run.out() + run.err());
        assertEquals(1, run.errLines().size(), run.err());
        assertTrue(
                run.err()
                        .contains(
                                "is not bench scale's JSON: it has two restores of 1000 cameras;"
                                        + " each restore needs a camera count of its own"),
                run.err());
    }

    @Test
    void shouldAddStreamThreadsForTheTimeTheyWaitOnCommits() {
        Measured m = Measured.fit(measured(), "test");

        // Given the planned partitions, and then 12 times as many for the same cameras
        CapacityModel.Estimate planned =
                CapacityModel.estimate(m, new CapacityModel.Deployment(1000, 10, 8, 0.7, 2.0, 0));
        CapacityModel.Estimate crowded =
                CapacityModel.estimate(
                        m, new CapacityModel.Deployment(1000, 10, 8, 0.7, 2.0, 12 * 288));

        // Then each plan has the fewest threads whose time beside their commits covers the cores
        for (CapacityModel.Estimate e : List.of(planned, crowded)) {
            long t = e.cpu().streamThreads();
            double share = m.commits().share((double) e.partitions() / t);
            assertEquals(share, e.cpu().commitShare(), 1e-12);
            assertTrue(t * (1 - share) >= e.cpu().cores(), e.toString());
            double fewer = m.commits().share((double) e.partitions() / (t - 1));
            assertTrue((t - 1) * (1 - fewer) < e.cpu().cores(), e.toString());
            assertEquals((long) Math.ceil(t / 8.0), e.cpu().instances());
        }
        // and one thread that 512 partitions would keep committing gets company
        CapacityModel.Estimate one =
                CapacityModel.estimate(
                        m, new CapacityModel.Deployment(512, 0.04, 8, 0.7, 2.0, 512));
        assertTrue(one.cpu().streamThreads() > 1 && one.cpu().commitShare() < 1, one.toString());
        // 8 % at one partition per thread (10 x 8.07 ms a second)
        assertEquals(0.0807, planned.cpu().commitShare(), 0.001);
        // and more partitions per thread make each commit, and so the plan, larger
        assertEquals(3456, crowded.partitions());
        assertTrue(crowded.cpu().commitShare() > planned.cpu().commitShare() + 0.005);
        assertTrue(crowded.cpu().streamThreads() > planned.cpu().streamThreads());
    }

    @Test
    void shouldSizeADeploymentWithTheDocumentedFormulas() {
        Measured m = Measured.fit(measured(), "test");

        // 1,000 cameras at 10 frames/s on 8-core instances planned at 70 %
        CapacityModel.Estimate e =
                CapacityModel.estimate(m, new CapacityModel.Deployment(1000, 10, 8, 0.7, 2.0, 0));

        // threads for the frames: 10,000 x 20 ms / 0.7 = 286, and 8 % more for their commit
        // waits: 312 stream threads, each with a partition (312, a multiple of 12)
        assertEquals(312, e.partitions());
        assertEquals(312, e.cpu().streamThreads());
        double cores = (10_000 * 20.0 + 312 * 0.5) / 1000 / 0.7;
        assertEquals(cores, e.cpu().cores(), 1e-9);
        // stream threads: the cores, and a thread for each one's commit waits
        assertTrue(e.cpu().streamThreads() > cores && e.cpu().streamThreads() < cores * 1.1);
        assertEquals((long) Math.ceil(e.cpu().streamThreads() / 8.0), e.cpu().instances());
        assertEquals(10_000 * 6000.0, e.kafka().framesBytesPerSecond(), 1e-6);
        // a canvas per second frame: a camera's canvas reaches the changelog once per commit
        assertEquals(10_000 * (1500.0 + 4500.0), e.kafka().serveWritesBytesPerSecond(), 1e-6);
        assertEquals(10_000 * (6000.0 + 1500.0 + 4500.0), e.kafka().brokerInBytesPerSecond(), 1e-6);
        assertEquals(9.0e6, e.state().bytes(), 1e-6);
        assertEquals(
                9.0e6 / e.cpu().instances() / 30e6, e.state().restoreSecondsPerInstance(), 1e-9);
        assertEquals(10_000 * 2.0 / 1000 / 0.7, e.gpu().gpus(), 1e-9);
        double perInstance = 312.0 / e.cpu().instances();
        assertEquals(
                480e6 + perInstance * 1.5e6 + 1000.0 / e.cpu().instances() * 10_000,
                e.cpu().rssBytesPerInstance(),
                1);
    }

    @Test
    void shouldPriceTheChangelogAtOneCanvasPerCommitNotPerFrame() {
        // Given the measured figures: 1,500 B masks and 9,000 B canvases
        Measured m = Measured.fit(measured(), "test");

        // When 100 cameras are sized at 2, 5, 10 and 20 frames/s each
        List<Double> perFrame = new ArrayList<>();
        for (double fps : new double[] {2, 5, 10, 20}) {
            CapacityModel.Estimate e =
                    CapacityModel.estimate(m, new CapacityModel.Deployment(100, fps, 8, 0.7, 2, 0));
            perFrame.add(e.kafka().serveWritesBytesPerSecond() / (100 * fps));
        }

        // Then a frame writes its mask and, at most 5 times a camera-second (a commit's last
        // canvas; measured: a canvas per 2 to 4.3 frames at 10 frames/s), its canvas: every frame's
        // up to 5 frames/s, every second at 10, every fourth at 20
        assertEquals(List.of(10_500.0, 10_500.0, 6_000.0, 3_750.0), perFrame);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldSayThatServesKafkaBytesAreWrittenIntoTheBrokersBesideTheFrames(@TempDir Path dir)
            throws Exception {
        // Given the measured runs: 6,000 B frames, 1,500 B masks and 9,000 B canvases
        Path file = dir.resolve("scale.json");
        Files.writeString(file, io.canvasflow.tools.common.Json.pretty(measured()));
        Path json = dir.resolve("capacity.json");

        // When 100 cameras at 10 frames/s are sized
        CommandRun run =
                CommandRun.of(
                        new CapacityCommand(),
                        "--measured",
                        file.toString(),
                        "--cameras",
                        "100",
                        "--json",
                        json.toString());

        // Then the Kafka columns say what the brokers take in: the frames, serve's masks and
        // changelog, and the two together, with the footnote and the JSON's units saying so
        assertEquals(0, run.exit(), run.err());
        assertTrue(
                run.out()
                        .contains(
                                "  cameras total f/s partitions    cores  threads  commit %"
                                        + " instances  RSS MB/i  frames MB/s  serve writes MB/s"
                                        + "  broker in MB/s   state MB  restore s    GPUs*"
                                        + "   +cores*"
                                        + System.lineSeparator()),
                run.out());
        assertTrue(
                run.out()
                        .contains(
                                "frames: written into Kafka by the cameras; serve writes: masks"
                                        + " and canvas changelog serve writes into Kafka, broker"
                                        + " ingress too, not egress; broker in: the two, before"
                                        + " replication (reads out of Kafka not counted)"),
                run.out());
        Map<String, Object> out =
                io.canvasflow.tools.common.Json.parseObject(Files.readString(json));
        Map<String, Object> estimate = ((List<Map<String, Object>>) out.get("estimates")).get(0);
        Map<String, Object> units = (Map<String, Object>) out.get("units");
        assertEquals(
                List.of(
                        1000 * 6000.0,
                        1000 * (1500.0 + 4500.0),
                        1000 * (6000.0 + 1500.0 + 4500.0),
                        "bytes per second the cameras write into Kafka (the frames topic)",
                        "bytes per second serve writes into Kafka (masks and the canvas"
                                + " changelog): broker ingress like the frames, not egress;"
                                + " every-frame mode, the changelog at min(1, 5 / fps) canvases"
                                + " a frame (one per commit at most)",
                        "the two together: bytes per second the brokers take in, before"
                                + " replication (reads out of Kafka are not counted: serve's of"
                                + " the frames, viewers' of the masks)"),
                List.of(
                        estimate.get("framesBytesPerSecond"),
                        estimate.get("serveWritesBytesPerSecond"),
                        estimate.get("brokerInBytesPerSecond"),
                        units.get("framesBytesPerSecond"),
                        units.get("serveWritesBytesPerSecond"),
                        units.get("brokerInBytesPerSecond")));
    }

    @Test
    void shouldPlanAPartitionForEveryStreamThread() {
        Measured m = Measured.fit(measured(), "test");
        for (long cameras : new long[] {1, 30, 100, 1000, 10_000, 100_000}) {
            CapacityModel.Estimate e =
                    CapacityModel.estimate(
                            m, new CapacityModel.Deployment(cameras, 10, 8, 0.7, 2.0, 0));
            assertTrue(e.partitions() >= e.cpu().streamThreads(), cameras + ": " + e);
            assertTrue(e.partitions() <= cameras, cameras + ": " + e);
        }
    }

    @Test
    void shouldRefuseADeploymentThatOneTaskPerPartitionCannotKeepUpWith() {
        Measured m = Measured.fit(measured(), "test");

        // A camera faster than one stream thread (0.7 x 1000 / 20 ms = 35 frames/s)
        IllegalArgumentException fast =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CapacityModel.estimate(
                                        m, new CapacityModel.Deployment(4, 40, 8, 0.7, 2.0, 0)));
        assertTrue(fast.getMessage().contains("keeps up with 35.0 frames/s"), fast.getMessage());

        // Fewer partitions than the stream threads 1,000 cameras need
        IllegalArgumentException few =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CapacityModel.estimate(
                                        m,
                                        new CapacityModel.Deployment(1000, 10, 8, 0.7, 2.0, 100)));
        assertTrue(few.getMessage().contains("give --partitions 312 or more"), few.getMessage());

        // And the command says so in one line, exit 2
        CommandRun run =
                CommandRun.of(new CapacityCommand(), "--cameras", "1000", "--partitions", "100");
        assertRefused(run, "100 partitions keep at most 100 busy");
    }

    @Test
    void shouldNeverPlanMorePartitionsThanCameras() {
        assertEquals(12, CapacityModel.partitions(3, 100));
        assertEquals(5, CapacityModel.partitions(3, 5));
        assertEquals(300, CapacityModel.partitions(290, 10_000));
    }

    @Test
    void shouldPrintATableAndJsonFromTheShippedFiguresAndRefuseBadSettings(@TempDir Path dir)
            throws Exception {
        CommandRun shipped = CommandRun.of(new CapacityCommand(), "--cameras", "100,10000");
        assertEquals(0, shipped.exit(), shipped.err());
        assertTrue(shipped.out().contains("instances"), shipped.out());
        assertTrue(shipped.out().contains("\"estimates\""), shipped.out());
        // with its units and scope said: per camera beside all cameras, fractions, MB
        assertTrue(
                shipped.out().contains("\"fps\": \"frames per second of one camera\"")
                        && shipped.out().contains("0.05 is 5 %")
                        && shipped.out().contains("MB are 10^6 bytes"),
                shipped.out());
        assertTrue(
                shipped.out().contains("total f/s")
                        && shipped.out().contains("total f/s: all cameras together"),
                shipped.out());

        Path file = dir.resolve("scale.json");
        Files.writeString(file, io.canvasflow.tools.common.Json.pretty(measured()));
        CommandRun own = CommandRun.of(new CapacityCommand(), "--measured", file.toString());
        assertEquals(0, own.exit(), own.err());
        assertTrue(own.out().contains("20.00 CPU ms per frame"), own.out());
        assertTrue(own.out().contains("cores measured 0.402, formula 0.402 (0.0 %)"), own.out());
        assertTrue(own.out().contains("ms per commit measured 43.8, formula 43.8"), own.out());

        CommandRun bad = CommandRun.of(new CapacityCommand(), "--utilisation", "1.5");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("expected --utilisation in (0, 1] but found 1.5"), bad.err());
        // 0 partitions printed the planned ones, as if the option were not given
        CommandRun noPartitions = CommandRun.of(new CapacityCommand(), "--partitions", "0");
        assertRefused(
                noPartitions,
                "expected --partitions >= 1 (leave it out to have them planned) but found 0");
        assertFalse(noPartitions.out().contains("instances"), "it ran before refusing");
        Path text = Files.writeString(dir.resolve("text.json"), "{ not json");
        CommandRun notJson = CommandRun.of(new CapacityCommand(), "--measured", text.toString());
        assertRefused(notJson, "--measured " + text + " is not bench scale's JSON");
        assertEquals(1, notJson.errLines().size(), notJson.err());
        CommandRun jsonIntoAFolder = CommandRun.of(new CapacityCommand(), "--json", dir.toString());
        assertRefused(jsonIntoAFolder, "is a folder");
        assertFalse(jsonIntoAFolder.out().contains("instances"), "it ran before refusing");
        CommandRun missing =
                CommandRun.of(
                        new CapacityCommand(), "--measured", dir.resolve("no.json").toString());
        assertRefused(missing, "no file at");
    }

    @Test
    void shouldRefuseJsonOfTheWrongShapeOrNotTextInOneSentence(@TempDir Path dir) throws Exception {
        // Given files that parse as JSON but are not bench scale's, and one that is not text
        Map<String, String> files =
                Map.of(
                        "runs-object.json", "{\"runs\": {}}",
                        "runs-numbers.json", "{\"runs\": [1, 2]}",
                        "restores-text.json", "{\"runs\": [{}], \"restores\": \"x\"}",
                        "run-lacks.json", "{\"runs\": [{\"partitions\": 4}]}");
        for (var f : files.entrySet()) {
            Path file = Files.writeString(dir.resolve(f.getKey()), f.getValue());

            CommandRun run = CommandRun.of(new CapacityCommand(), "--measured", file.toString());

            // Then each is one sentence naming the file, status 2 (a ClassCastException's stack
            // trace and status 1 before)
            assertEquals(2, run.exit(), run.err());
            assertEquals(1, run.errLines().size(), run.err());
            assertTrue(
                    run.err().contains("--measured " + file + " is not bench scale's JSON: "),
                    run.err());
        }
        Path binary = Files.write(dir.resolve("photo.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8});
        CommandRun notText = CommandRun.of(new CapacityCommand(), "--measured", binary.toString());
        assertRefused(notText, "--measured " + binary + " is not UTF-8 text");
    }
}
