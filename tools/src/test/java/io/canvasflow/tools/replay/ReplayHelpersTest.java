package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.Latency;
import io.canvasflow.tools.common.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayHelpersTest {

    @Test
    void shouldExitWithOneAndNameTheFailedCheckWhenACheckFails() {
        // Given a finished replay whose seeded/zero mIoU check failed (it printed FAIL and exited
        // 0 before)
        List<ReplayResult.Check> checks =
                List.of(
                        new ReplayResult.Check("mIoU of seeded-2 / zero-6", 0.97, ">= 0.99", false),
                        new ReplayResult.Check(
                                "flicker of seeded-2 / feed-forward", 0.8, "< 1", true));
        java.io.StringWriter err = new java.io.StringWriter();

        // When its exit status is decided
        List<ModeResult> modes =
                List.of(mode("seeded-2", true, Latency.of(2, 8.0, List.of(1.0, 2.0))));
        int failed = ReplayCommand.exitStatus(modes, checks, new java.io.PrintWriter(err, true));
        int passed =
                ReplayCommand.exitStatus(
                        modes,
                        checks.subList(1, 2),
                        new java.io.PrintWriter(new java.io.StringWriter()));

        // Then it is 1, and the one line says which check
        assertEquals(1, failed);
        assertEquals(
                "canvasflow replay: check(s) failed: mIoU of seeded-2 / zero-6",
                err.toString().strip());
        assertEquals(0, passed);
    }

    @Test
    void shouldExitWithOneAndSaySoWhenALatencyProbeIsIncomplete() {
        // Given a replay whose every frame got its mask, but one mode's probe got 2 of 3 masks
        List<ModeResult> modes =
                List.of(
                        mode("seeded-2", true, Latency.of(3, 8.0, List.of(5.0, 6.0, 7.0))),
                        mode("zero-2", true, Latency.of(3, 8.0, List.of(5.0, 6.0))));
        java.io.StringWriter err = new java.io.StringWriter();

        // When its exit status is decided
        int status = ReplayCommand.exitStatus(modes, List.of(), new java.io.PrintWriter(err, true));

        // Then it is 1, with a line that names the mode and the masks that came
        assertEquals(1, status);
        assertEquals(
                "canvasflow replay: zero-2: latency probe incomplete: 2 of 3 masks arrived before"
                        + " the idle timeout; a percentile a missing mask would decide is not"
                        + " given",
                err.toString().strip());
        // and its table row gives the p50 the arrived masks decide, and no p99
        String row =
                ReplayReport.table(new ReplayResult(null, 1, 0.8, null, modes, null))
                        .lines()
                        .toList()
                        .get(3);
        assertEquals(true, row.contains("| 6 | n/a (probe incomplete: 2 of 3) |"), row);
    }

    @Test
    void shouldLeaveNoPlotOfAnEarlierReportBesideNewFigures(@TempDir Path dir) throws Exception {
        // Given a report folder where an earlier replay wrote its latency and mIoU plots, and a
        // file of the user's
        Files.writeString(dir.resolve(ReplayReport.LATENCY_PLOT), "old");
        Files.writeString(dir.resolve(ReplayReport.QUALITY_PLOT), "old");
        Files.writeString(dir.resolve("notes.txt"), "mine");

        // When a replay without a latency probe or ground truth writes its report there
        ReplayResult r =
                new ReplayResult(
                        new ReplayResult.Input("frames", "whole topic", 10, 10, 1, 0),
                        1,
                        0.8,
                        new ReplayResult.Classes(List.of("road"), new int[] {0x808080}),
                        List.of(mode("seeded-2", true, Latency.none())),
                        new ReplayResult.Samples(List.of(), Map.of(), Map.of(), Map.of()));
        List<Path> written = ReplayReport.write(r, dir);

        // Then the folder holds what this run wrote, and the user's file
        List<String> names;
        try (Stream<Path> files = Files.list(dir)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> expected = new ArrayList<>();
        written.forEach(p -> expected.add(p.getFileName().toString()));
        expected.add("notes.txt");
        assertEquals(expected.stream().sorted().toList(), names);
        assertEquals(false, names.contains(ReplayReport.LATENCY_PLOT), names.toString());
        assertEquals(false, names.contains(ReplayReport.QUALITY_PLOT), names.toString());
    }

    @Test
    void shouldLeaveNoHalfWrittenReportWhenAPlotFails(@TempDir Path dir) throws Exception {
        // Given figures whose plots cannot be drawn (two modes of one name: a chart refuses a
        // second series of the same name), a folder holding an earlier report, and one not there
        ReplayResult r =
                new ReplayResult(
                        new ReplayResult.Input("frames", "whole topic", 10, 10, 1, 0),
                        1,
                        0.8,
                        new ReplayResult.Classes(List.of("road"), new int[] {0x808080}),
                        List.of(
                                withMiou(mode("seeded-2", true, Latency.none())),
                                withMiou(mode("seeded-2", true, Latency.none()))),
                        new ReplayResult.Samples(List.of(), Map.of(), Map.of(), Map.of()));
        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve(ReplayReport.JSON), "old");
        Path fresh = dir.resolve("fresh/report");

        // When the report is written to each
        List<String> failures = new ArrayList<>();
        for (Path folder : List.of(earlier, fresh)) {
            try {
                ReplayReport.write(r, folder);
            } catch (RuntimeException e) {
                failures.add(folder.getFileName().toString());
            }
        }

        // Then both fail, the earlier report is as it was, and the folders not there before are
        // not there now (there was a replay.json and replay.md without plots)
        assertEquals(List.of("earlier", "report"), failures);
        try (Stream<Path> files = Files.list(earlier)) {
            assertEquals(
                    List.of(ReplayReport.JSON),
                    files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("old", Files.readString(earlier.resolve(ReplayReport.JSON)));
        assertEquals(false, Files.exists(dir.resolve("fresh")));
    }

    @Test
    void shouldSpreadCameraIdsOnePerPartition() {
        // Given six camera ids chosen for four partitions
        List<String> ids = CameraIds.spread("cam-", 6, 4);

        // When the default partitioner places them
        List<Integer> partitions = ids.stream().map(id -> CameraIds.partitionOf(id, 4)).toList();

        // Then they go round the partitions in turn, and no id repeats
        assertEquals(List.of(0, 1, 2, 3, 0, 1), partitions);
        assertEquals(6, ids.stream().distinct().count());
    }

    @Test
    void shouldTakeNearestRankPercentiles() {
        // Given the values 1 to 100
        double[] values = IntStream.rangeClosed(1, 100).mapToDouble(i -> i).toArray();

        // When their percentiles and mean are taken, Then each is the nearest rank's value
        assertEquals(
                List.of(50.0, 99.0, 100.0, 50.5),
                List.of(
                        Stats.percentile(values, 50),
                        Stats.percentile(values, 99),
                        Stats.percentile(values, 100),
                        Stats.mean(values)));
        assertEquals(Double.NaN, Stats.percentile(new double[0], 50));
    }

    @Test
    void shouldDescribeRanges() {
        // Given ranges with no bound and with an offset and a time bound, Then the report names
        // their bounds, open ones as start and end
        assertEquals("whole topic", FrameRange.all().describe());
        assertEquals(
                "offsets [10, end), times [start, 1970-01-01T00:00:01Z)",
                new FrameRange(10L, null, null, Instant.ofEpochSecond(1)).describe());
    }

    /** A mode's figures with its counts' completeness and its probe; the rest unmeasured. */
    /** The mode with a measured mIoU, so that it has a point in the mIoU plot. */
    private static ModeResult withMiou(ModeResult m) {
        ModeResult.Quality q = m.quality();
        return new ModeResult(
                m.mode(),
                m.description(),
                m.modelVersion(),
                m.counts(),
                new ModeResult.Quality(10, 0.5, 0.9, q.perClassIou(), q.flicker()),
                m.canvas(),
                m.cost(),
                m.latency());
    }

    private static ModeResult mode(String name, boolean complete, Latency latency) {
        return new ModeResult(
                name,
                name,
                "1",
                new ModeResult.Counts(10, 10, 0, 0, complete),
                new ModeResult.Quality(
                        0,
                        Double.NaN,
                        Double.NaN,
                        Map.of(),
                        new ModeResult.Flicker(
                                Double.NaN, ModeResult.FLICKER_ALL, Double.NaN, Double.NaN, 0)),
                new ModeResult.Canvas(2, 0, Map.of()),
                new ModeResult.Cost(Double.NaN, Double.NaN, Double.NaN, 20, Double.NaN),
                latency);
    }
}
