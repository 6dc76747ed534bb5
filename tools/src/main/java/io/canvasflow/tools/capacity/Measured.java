package io.canvasflow.tools.capacity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measured figures a capacity estimate stands on, fitted from a {@code bench scale} run: a
 * frame's CPU cost and an idle partition's, the canvas, mask and frame sizes, the restore rate and
 * the resident set per camera.
 *
 * @param cpuMsPerFrame CPU milliseconds per frame, all of serve's threads, without the partitions'
 *     own cost
 * @param cpuMsPerPartitionSecond CPU milliseconds per second that each partition costs however few
 *     frames it carries (polls, commits, tasks)
 * @param modelMsPerFrame of a frame's time, the model's (what a GPU would take over)
 * @param sizes the bytes of a frame, a mask event and a camera's canvas
 * @param restoreBytesPerSecond changelog bytes restored per second into an empty state directory
 * @param memory serve's resident set: a base, per partition and per camera
 * @param commits what the exactly-once commit costs a stream thread
 * @param source where the figures come from, for the report
 */
public record Measured(
        double cpuMsPerFrame,
        double cpuMsPerPartitionSecond,
        double modelMsPerFrame,
        Sizes sizes,
        double restoreBytesPerSecond,
        Memory memory,
        Commits commits,
        String source) {

    /**
     * The exactly-once commit as a straight line in the partitions a stream thread owns: all of its
     * tasks commit together, every {@code commit.interval.ms} (100 ms), and the thread waits for
     * each commit, its core idle.
     *
     * @param perSecond commits per second of a stream thread, at most
     * @param msBase milliseconds a commit takes with no partition
     * @param msPerPartition milliseconds each partition of the thread adds to a commit
     */
    public record Commits(double perSecond, double msBase, double msPerPartition) {

        /** None measured: commits cost nothing. */
        static final Commits NONE = new Commits(0, 0, 0);

        /**
         * The share of a stream thread's time spent waiting on commits.
         *
         * @param partitionsPerThread partitions the thread owns
         * @return a share, 0 and up (1 or more: the thread does nothing else)
         */
        public double share(double partitionsPerThread) {
            return perSecond * (msBase + msPerPartition * partitionsPerThread) / 1000;
        }
    }

    /**
     * Serve's resident set as a straight line.
     *
     * @param base with no partitions and no cameras, the model loaded and run
     * @param perPartition per partition it owns (a task, its RocksDB instance, client buffers)
     * @param perCamera per camera in its canvas store
     */
    public record Memory(double base, double perPartition, double perCamera) {

        /** The resident set of an instance with these partitions and cameras. */
        public double bytes(double partitions, double cameras) {
            return base + partitions * perPartition + cameras * perCamera;
        }
    }

    /**
     * Byte sizes.
     *
     * @param frameBytes a frame record's image
     * @param maskBytes a mask event
     * @param canvasBytes a camera's canvas-store value
     */
    public record Sizes(double frameBytes, double maskBytes, double canvasBytes) {}

    /**
     * The same figures for frames of another size.
     *
     * @param frameBytes a frame's image as the user's cameras send it
     * @return the figures
     */
    public Measured withFrameBytes(double frameBytes) {
        return new Measured(
                cpuMsPerFrame,
                cpuMsPerPartitionSecond,
                modelMsPerFrame,
                new Sizes(frameBytes, sizes.maskBytes(), sizes.canvasBytes()),
                restoreBytesPerSecond,
                memory,
                commits,
                source);
    }

    /**
     * One measured camera count, as {@code bench scale} reports it.
     *
     * @param partitions partitions
     * @param rateFps total frames per second
     * @param coresBusy serve's CPU time over the run, in cores
     * @param rssBytes serve's resident set after the run
     */
    record Point(int partitions, double rateFps, double coresBusy, double rssBytes) {}

    /**
     * Fits the figures to a {@code bench scale} JSON: CPU is a straight line in the partition count
     * at the run's frame rate ({@code cores = rate x cpuMsPerFrame / 1000 + partitions x
     * cpuMsPerPartitionSecond / 1000}, least squares over the camera counts), the resident set a
     * straight line in the cameras of the restore runs, the restore rate the largest restore's (by
     * camera count).
     *
     * @param json the parsed JSON of {@code bench scale --json}
     * @param source names the file, for the report
     * @return the figures
     * @throws IllegalArgumentException when the JSON lacks what the fit needs, or two restores have
     *     the same camera count
     */
    public static Measured fit(Map<String, Object> json, String source) {
        List<Map<String, Object>> runs = objects(json, "runs");
        List<Map<String, Object>> restores = objects(json, "restores");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("it has no runs");
        }
        List<Point> points = new ArrayList<>();
        double frame = 0;
        double mask = 0;
        double canvas = 0;
        double model = 0;
        for (Map<String, Object> r : runs) {
            points.add(
                    new Point(
                            number(r, "partitions").intValue(),
                            number(r, "rateFps").doubleValue(),
                            number(r, "coresBusy").doubleValue(),
                            number(r, "rssBytes").doubleValue()));
            frame += number(r, "frameBytes").doubleValue() / runs.size();
            mask += number(r, "maskBytes").doubleValue() / runs.size();
            canvas += number(r, "canvasBytesPerCamera").doubleValue() / runs.size();
            model += number(r, "modelMs").doubleValue() / runs.size();
        }
        double[] cpu = fitCpu(points);
        double restoreRate = Double.NaN;
        double rssPerCamera = 0;
        if (!restores.isEmpty()) {
            // by camera count, not by place: bench scale --restore took its counts in any order
            List<Map<String, Object>> byCameras = byCameras(restores);
            Map<String, Object> largest = byCameras.get(byCameras.size() - 1);
            restoreRate =
                    number(largest, "changelogBytes").doubleValue()
                            / number(largest, "restoreSeconds").doubleValue();
            if (byCameras.size() >= 2) {
                // the restore runs hold the partitions still and add cameras
                Map<String, Object> smallest = byCameras.get(0);
                double c0 = number(smallest, "cameras").doubleValue();
                double c1 = number(largest, "cameras").doubleValue();
                double r0 = number(smallest, "rssBytes").doubleValue();
                double r1 = number(largest, "rssBytes").doubleValue();
                rssPerCamera = Math.max(0, (r1 - r0) / (c1 - c0));
            }
        }
        // the camera runs add partitions (and cameras): what the cameras explain is taken out
        double[] rss = fitLine(points, rssPerCamera, runs);
        return new Measured(
                cpu[0],
                cpu[1],
                model,
                new Sizes(frame, mask, canvas),
                restoreRate,
                new Memory(rss[0], rss[1], rssPerCamera),
                fitCommits(runs),
                source);
    }

    /**
     * Kafka Streams' commit interval under exactly-once ({@code commit.interval.ms}, 100 ms): a
     * stream thread commits at most this often. Measured threads commit less often (about 6.7 times
     * a second in {@code bench scale} at 20 frames/s, 7 saturated in {@code bench pipeline}, 4-5 at
     * 10 frames/s a camera), so the commit share is planned at the most, not the measured rate.
     */
    static final double EOS_COMMIT_INTERVAL_MS = 100;

    /**
     * Milliseconds per commit as a straight line in the partitions (bench scale runs one stream
     * thread), over every run. None when the figures predate the commit counts.
     */
    static Commits fitCommits(List<Map<String, Object>> runs) {
        List<double[]> points = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            if (r.get("msPerCommit") instanceof Number ms && Double.isFinite(ms.doubleValue())) {
                points.add(new double[] {number(r, "partitions").doubleValue(), ms.doubleValue()});
            }
        }
        if (points.isEmpty()) {
            return Commits.NONE;
        }
        double[] line = leastSquares(points);
        return new Commits(
                1000 / EOS_COMMIT_INTERVAL_MS, Math.max(0, line[0]), Math.max(0, line[1]));
    }

    /** Least squares of y = a + b x over {x, y} points: {a, b}; with one x, b = 0. */
    static double[] leastSquares(List<double[]> points) {
        int n = points.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
            sxx += p[0] * p[0];
            sxy += p[0] * p[1];
        }
        double det = n * sxx - sx * sx;
        if (n < 2 || Math.abs(det) < 1e-9) {
            return new double[] {sy / n, 0};
        }
        double b = (n * sxy - sx * sy) / det;
        return new double[] {(sy - b * sx) / n, b};
    }

    /** Least squares of RSS - cameras x perCamera = base + partitions x perPartition: {base, b}. */
    private static double[] fitLine(
            List<Point> points, double perCamera, List<Map<String, Object>> runs) {
        List<double[]> xy = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            xy.add(
                    new double[] {
                        points.get(i).partitions(),
                        points.get(i).rssBytes()
                                - perCamera * number(runs.get(i), "cameras").doubleValue()
                    });
        }
        double[] line = leastSquares(xy);
        if (line[1] < 0) {
            // more partitions cannot take less memory: the difference is noise
            return new double[] {xy.stream().mapToDouble(p -> p[1]).average().orElse(0), 0};
        }
        return line;
    }

    /**
     * Least squares of {@code coresBusy x 1000 = rate x a + partitions x b} over the points: {a,
     * b}; with one point, b = 0.
     */
    static double[] fitCpu(List<Point> points) {
        if (points.size() == 1) {
            Point p = points.get(0);
            return new double[] {p.coresBusy() * 1000 / p.rateFps(), 0};
        }
        // normal equations of y = a x1 + b x2
        double s11 = 0;
        double s12 = 0;
        double s22 = 0;
        double s1y = 0;
        double s2y = 0;
        for (Point p : points) {
            double x1 = p.rateFps();
            double x2 = p.partitions();
            double y = p.coresBusy() * 1000;
            s11 += x1 * x1;
            s12 += x1 * x2;
            s22 += x2 * x2;
            s1y += x1 * y;
            s2y += x2 * y;
        }
        double det = s11 * s22 - s12 * s12;
        if (Math.abs(det) < 1e-9) {
            return new double[] {s1y / s11, 0};
        }
        double a = (s1y * s22 - s2y * s12) / det;
        double b = (s11 * s2y - s12 * s1y) / det;
        if (b < 0) {
            // more partitions cannot cost less: the difference is noise, so none at all
            return new double[] {s1y / s11, 0};
        }
        return new double[] {a, b};
    }

    /**
     * The restore runs in increasing camera count.
     *
     * @throws IllegalArgumentException when two have the same count: the resident set per camera is
     *     the line through two different counts
     */
    private static List<Map<String, Object>> byCameras(List<Map<String, Object>> restores) {
        List<Map<String, Object>> sorted = new ArrayList<>(restores);
        sorted.sort(Comparator.comparingDouble(r -> number(r, "cameras").doubleValue()));
        for (int i = 1; i < sorted.size(); i++) {
            double cameras = number(sorted.get(i), "cameras").doubleValue();
            if (cameras == number(sorted.get(i - 1), "cameras").doubleValue()) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "it has two restores of %.0f cameras; each restore needs a camera"
                                        + " count of its own",
                                cameras));
            }
        }
        return sorted;
    }

    /** The list of objects under {@code key}, empty when there is none. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> json, String key) {
        Object v = json.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> list && list.stream().allMatch(Map.class::isInstance)) {
            return (List<Map<String, Object>>) list;
        }
        throw new IllegalArgumentException("its \"" + key + "\" is not a list of objects");
    }

    private static Number number(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (v instanceof Number n) {
            return n;
        }
        throw new IllegalArgumentException("a run or restore lacks the number " + key);
    }
}
