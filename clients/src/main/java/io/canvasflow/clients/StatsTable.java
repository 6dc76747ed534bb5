package io.canvasflow.clients;

import io.canvasflow.schemas.avro.ResetReason;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/** Formats camera summaries as a fixed-width table, one line per camera. */
public final class StatsTable {

    private static final String ROW = "%-16s %8s %7s %7s %7s %7s %5s %7s  %-24s %s";

    private StatsTable() {}

    /**
     * Returns the header line.
     *
     * @return the column names
     */
    public static String header() {
        return String.format(
                ROW, "camera", "frames", "skipped", "fps", "p50 ms", "p99 ms", "iter", "seeded",
                "resets", "model");
    }

    /**
     * Formats one camera.
     *
     * @param s the camera's summary
     * @return its line
     */
    public static String line(CameraSummary s) {
        return String.format(
                ROW,
                s.cameraId(),
                s.frames(),
                s.skipped(),
                String.format("%.1f", s.fps()),
                s.latencyP50Millis() < 0 ? "-" : Long.toString(s.latencyP50Millis()),
                s.latencyP99Millis() < 0 ? "-" : Long.toString(s.latencyP99Millis()),
                String.format("%.1f", s.segmentation().meanIterations()),
                s.segmentation().seeded(),
                resets(s.segmentation().resets()),
                s.segmentation().models().isEmpty()
                        ? "-"
                        : String.join(" -> ", s.segmentation().models()));
    }

    /**
     * Formats the header and one line per camera.
     *
     * @param cameras the summaries
     * @return the table, each line ending with a line separator
     */
    public static String format(Collection<CameraSummary> cameras) {
        StringBuilder out = new StringBuilder(header()).append(System.lineSeparator());
        for (CameraSummary camera : cameras) {
            out.append(line(camera)).append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String resets(Map<ResetReason, Long> resets) {
        if (resets.isEmpty()) {
            return "-";
        }
        return resets.entrySet().stream()
                .map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
