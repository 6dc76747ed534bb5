package io.canvasflow.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.canvasflow.tools.common.CameraIds;
import io.canvasflow.tools.common.Stats;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

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
        int failed = ReplayCommand.exitStatus(true, checks, new java.io.PrintWriter(err, true));
        int passed =
                ReplayCommand.exitStatus(
                        true,
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
}
