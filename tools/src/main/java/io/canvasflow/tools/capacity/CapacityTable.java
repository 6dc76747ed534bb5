package io.canvasflow.tools.capacity;

import io.canvasflow.tools.common.Stats;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code canvasflow capacity} prints before its JSON. */
final class CapacityTable {

    /** The estimates table, a column to a line: header, width, JSON key, decimals and unit. */
    private static final List<Column> ESTIMATES =
            List.of(
                    new Column("cameras", 9, "cameras", -1, 1),
                    new Column("total f/s", 9, "framesPerSecond", 0, 1),
                    new Column("partitions", 10, "partitions", -1, 1),
                    new Column("cores", 8, "cores", 1, 1),
                    new Column("threads", 8, "streamThreads", -1, 1),
                    new Column("commit %", 9, "commitShare", 1, 0.01),
                    new Column("instances", 9, "instances", -1, 1),
                    new Column("RSS MB/i", 9, "rssBytesPerInstance", 0, Stats.MB),
                    new Column("frames MB/s", 12, "framesBytesPerSecond", 1, Stats.MB),
                    new Column("serve writes MB/s", 18, "serveWritesBytesPerSecond", 1, Stats.MB),
                    new Column("broker in MB/s", 15, "brokerInBytesPerSecond", 1, Stats.MB),
                    new Column("state MB", 10, "stateBytes", 1, Stats.MB),
                    new Column("restore s", 10, "restoreSecondsPerInstance", 3, 1),
                    new Column("GPUs*", 8, "gpusEstimate", 2, 1),
                    new Column("+cores*", 9, "cpuCoresBesideGpus", 1, 1));

    /**
     * One column of a table of JSON figures.
     *
     * @param decimals decimals of the figure, or -1 to print the value as it is
     * @param unit what the figure is divided by (Stats.MB for MB)
     */
    private record Column(String header, int width, String key, int decimals, double unit) {

        String cell(Map<String, Object> values) {
            Object v = values.get(key);
            return decimals < 0 ? String.valueOf(v) : num(v, decimals, unit);
        }
    }

    private CapacityTable() {}

    /** The cells right-aligned in the estimates' widths, space-separated, one line. */
    private static String row(List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(i == 0 ? "" : " ")
                    .append(" ".repeat(Math.max(0, ESTIMATES.get(i).width() - cell.length())))
                    .append(cell);
        }
        return line.append(System.lineSeparator()).toString();
    }

    @SuppressWarnings("unchecked")
    static String table(Map<String, Object> r) {
        Map<String, Object> m = (Map<String, Object>) r.get("measured");
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(
                        Locale.ROOT,
                        "Measured (%s): %s CPU ms per frame + %s CPU ms per partition-second;"
                                + " model %s ms of it; frame %s B, mask %s B, canvas %s B;"
                                + " restore %s MB/s; RSS %s MB + %s MB per partition + %s kB per"
                                + " camera; %s commits/s of %s ms + %s ms per partition of the"
                                + " thread%n%n",
                        m.get("source"),
                        num(m.get("cpuMsPerFrame"), 2, 1),
                        num(m.get("cpuMsPerPartitionSecond"), 3, 1),
                        num(m.get("modelMsPerFrame"), 2, 1),
                        num(m.get("frameBytes"), 0, 1),
                        num(m.get("maskBytes"), 0, 1),
                        num(m.get("canvasBytes"), 0, 1),
                        num(m.get("restoreBytesPerSecond"), 1, Stats.MB),
                        num(m.get("rssBytesBase"), 0, Stats.MB),
                        num(m.get("rssBytesPerPartition"), 2, Stats.MB),
                        num(m.get("rssBytesPerCamera"), 2, 1e3),
                        num(m.get("commitsPerSecond"), 1, 1),
                        num(m.get("msPerCommitBase"), 1, 1),
                        num(m.get("msPerCommitPerPartition"), 3, 1)));
        sb.append(row(ESTIMATES.stream().map(Column::header).toList()));
        for (Map<String, Object> e : (List<Map<String, Object>>) r.get("estimates")) {
            sb.append(row(ESTIMATES.stream().map(c -> c.cell(e)).toList()));
        }
        sb.append("* ")
                .append(r.get("note"))
                .append(
                        "; +cores: CPU cores the rest of each frame"
                                + " still needs beside them; threads: stream threads, one per"
                                + " core, more than the cores busy by the commit share (the time a"
                                + " thread waits for its exactly-once commits, its core idle);"
                                + " total f/s: all cameras together; frames: written into Kafka"
                                + " by the cameras; serve writes: masks and canvas changelog"
                                + " serve writes into Kafka, broker ingress too, not egress;"
                                + " broker in: the two, before replication (reads out of Kafka"
                                + " not counted); MB: 10^6 bytes; /i: per instance\n\n");
        sb.append(
                "The formulas against the measured runs (cores busy; resident set; commit"
                        + " time):\n");
        for (Map<String, Object> c : (List<Map<String, Object>>) r.get("fitAgainstMeasured")) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  %5s cameras, %4s partitions at %s frames/s: cores measured %s,"
                                    + " formula %s (%s %%); RSS measured %s MB, formula %s MB (%s %%)%n",
                            c.get("cameras"),
                            c.get("partitions"),
                            num(c.get("rateFps"), 1, 1),
                            num(c.get("measuredCores"), 3, 1),
                            num(c.get("predictedCores"), 3, 1),
                            num(c.get("error"), 1, 0.01),
                            num(c.get("measuredRssBytes"), 0, Stats.MB),
                            num(c.get("predictedRssBytes"), 0, Stats.MB),
                            num(c.get("rssError"), 1, 0.01)));
            if (c.containsKey("measuredMsPerCommit")) {
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "        ms per commit measured %s, formula %s%n",
                                num(c.get("measuredMsPerCommit"), 1, 1),
                                num(c.get("predictedMsPerCommit"), 1, 1)));
            }
        }
        return sb.toString();
    }

    /** A figure in a unit (Stats.MB for MB), for the table. */
    private static String num(Object v, int decimals, double unit) {
        return Stats.format(v instanceof Number n ? n.doubleValue() / unit : v, decimals);
    }
}
