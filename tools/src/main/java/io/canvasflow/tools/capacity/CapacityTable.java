package io.canvasflow.tools.capacity;

import io.canvasflow.tools.common.Stats;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code canvasflow capacity} prints before its JSON. */
final class CapacityTable {

    private CapacityTable() {}

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
                        num(m.get("restoreBytesPerSecond"), 1, 1e6),
                        num(m.get("rssBytesBase"), 0, 1e6),
                        num(m.get("rssBytesPerPartition"), 2, 1e6),
                        num(m.get("rssBytesPerCamera"), 2, 1e3),
                        num(m.get("commitsPerSecond"), 1, 1),
                        num(m.get("msPerCommitBase"), 1, 1),
                        num(m.get("msPerCommitPerPartition"), 3, 1)));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%9s %9s %10s %8s %8s %9s %9s %9s %12s %12s %10s %10s %8s %9s%n",
                        "cameras",
                        "frames/s",
                        "partitions",
                        "cores",
                        "threads",
                        "commit %",
                        "instances",
                        "RSS MB/i",
                        "Kafka in MB/s",
                        "out MB/s",
                        "state MB",
                        "restore s",
                        "GPUs*",
                        "+cores*"));
        for (Map<String, Object> e : (List<Map<String, Object>>) r.get("estimates")) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "%9s %9s %10s %8s %8s %9s %9s %9s %12s %12s %10s %10s %8s %9s%n",
                            e.get("cameras"),
                            num(e.get("framesPerSecond"), 0, 1),
                            e.get("partitions"),
                            num(e.get("cores"), 1, 1),
                            e.get("streamThreads"),
                            num(e.get("commitShare"), 1, 0.01),
                            e.get("instances"),
                            num(e.get("rssBytesPerInstance"), 0, 1e6),
                            num(e.get("kafkaInBytesPerSecond"), 1, 1e6),
                            num(e.get("kafkaOutBytesPerSecond"), 1, 1e6),
                            num(e.get("stateBytes"), 1, 1e6),
                            num(e.get("restoreSecondsPerInstance"), 3, 1),
                            num(e.get("gpusEstimate"), 2, 1),
                            num(e.get("cpuCoresBesideGpus"), 1, 1)));
        }
        sb.append("* ")
                .append(r.get("note"))
                .append(
                        "; +cores: CPU cores the rest of each frame"
                                + " still needs beside them; threads: stream threads, one per"
                                + " core, more than the cores busy by the commit share (the time a"
                                + " thread waits for its exactly-once commits, its core idle)\n\n");
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
                            num(c.get("measuredRssBytes"), 0, 1e6),
                            num(c.get("predictedRssBytes"), 0, 1e6),
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

    /** A figure in a unit (1e6 for MB), for the table. */
    private static String num(Object v, int decimals, double unit) {
        return Stats.format(v instanceof Number n ? n.doubleValue() / unit : v, decimals);
    }
}
