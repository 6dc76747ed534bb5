package io.canvasflow.tools.capacity;

import java.util.Locale;

/**
 * Sizing a deployment from measured per-frame figures. With {@code R = cameras x fps} frames per
 * second and {@code P} partitions:
 *
 * <ul>
 *   <li>CPU cores = (R x cpuMsPerFrame + P x cpuMsPerPartitionSecond) / 1000 / utilisation;
 *   <li>stream threads T: the fewest with T x (1 - commit share) >= cores. One stream thread with
 *       one PyTorch intra-op thread keeps one core busy except while it waits for its exactly-once
 *       commits, commit share = commits/s x (msBase + msPerPartition x P / T) / 1000 (a few per
 *       cent at one partition per thread: a commit every 100 ms of 3-14 ms measured); instances = T
 *       / cores per instance, rounded up, each with a thread per core;
 *   <li>partitions = one per stream thread, at least 12 and a multiple of 12 (room to add instances
 *       without repartitioning), at most one per camera; or the user's count, where many partitions
 *       per thread make every commit longer. Kafka Streams runs one task per partition, so a plan
 *       that needs more stream threads than partitions, or a camera faster than one thread, is
 *       refused;
 *   <li>Kafka writes: the cameras write R x frame bytes (frames); serve reads them and writes R x
 *       (mask bytes + canvases per frame x canvas bytes) back into Kafka (masks and the canvas
 *       store's changelog, every-frame mode); the brokers take both in, before replication. Every
 *       frame rewrites its camera's canvas, but the record cache sends only a commit's last one:
 *       canvases per frame = min(1, {@link #CHANGELOG_COMMITS_PER_SECOND} / fps);
 *   <li>state = cameras x canvas bytes (RocksDB across the instances; the changelog holds as much
 *       per replica);
 *   <li>restore of one instance's share = cameras / instances x canvas bytes / restore rate;
 *   <li>resident set per instance = base + partitions / instances x bytes per partition + cameras /
 *       instances x bytes per camera;
 *   <li>GPUs (an estimate until measured on one): R x gpu ms per frame / 1000 / utilisation, the
 *       model's part of the CPU cost moving to the GPU and the rest staying on the CPU.
 * </ul>
 */
public final class CapacityModel {

    /** Partitions are created in multiples of this (and at least this many). */
    static final int PARTITION_STEP = 12;

    /**
     * Times a second a camera's canvas reaches the changelog, the most measured: once per commit of
     * its stream thread that follows one of its frames. Kafka Streams commits at most every {@code
     * commit.interval.ms} (100 ms under exactly-once), and only between the batches it processes,
     * once that long has passed since the last commit ended; one stream thread at 10 frames/s per
     * camera committed about 3.6-4.7 times a second with 1 to 4 cameras (a canvas per 2.0, 2.4 and
     * 3.7-4.3 frames; docs/capacity.md, section 3). The bound, 10 a second, would price a canvas
     * every frame: 2.0-4.3 times the canvases measured.
     */
    static final double CHANGELOG_COMMITS_PER_SECOND = 5;

    private CapacityModel() {}

    /**
     * What a deployment asks for.
     *
     * @param cameras cameras
     * @param fps frames per second per camera
     * @param coresPerInstance cores of each serve instance
     * @param utilisation the share of each core to plan for, in (0, 1]
     * @param gpuMsPerFrame assumed milliseconds of a frame's model on a GPU
     * @param partitions partitions of the frames topic, or 0 to plan them
     */
    public record Deployment(
            long cameras,
            double fps,
            int coresPerInstance,
            double utilisation,
            double gpuMsPerFrame,
            int partitions) {

        /** Total frames per second. */
        public double framesPerSecond() {
            return cameras * fps;
        }
    }

    /**
     * A deployment's size.
     *
     * @param partitions partitions of the frames topic
     * @param cpu cores, instances and memory on the CPU
     * @param kafka bytes per second in and out
     * @param state the canvas store
     * @param gpu the GPU estimate
     */
    public record Estimate(int partitions, Cpu cpu, Kafka kafka, State state, Gpu gpu) {}

    /**
     * On the CPU.
     *
     * @param cores cores busy at the planned utilisation
     * @param streamThreads stream threads, one per core: more than the cores by the commit share
     * @param commitShare the share of each stream thread's time spent waiting on commits
     * @param instances serve instances
     * @param rssBytesPerInstance resident set of each
     */
    public record Cpu(
            double cores,
            long streamThreads,
            double commitShare,
            long instances,
            double rssBytesPerInstance) {}

    /**
     * The bytes written into Kafka, before replication. Both are broker ingress: what serve
     * produces is written into the brokers as the frames are.
     *
     * @param framesBytesPerSecond frames written by the cameras
     * @param serveWritesBytesPerSecond masks and canvas changelog written by serve
     */
    public record Kafka(double framesBytesPerSecond, double serveWritesBytesPerSecond) {

        /** Everything the brokers take in: the frames and serve's writes. */
        public double brokerInBytesPerSecond() {
            return framesBytesPerSecond + serveWritesBytesPerSecond;
        }
    }

    /**
     * The canvas store.
     *
     * @param bytes all cameras' canvases
     * @param restoreSecondsPerInstance one instance's share restored from the changelog
     */
    public record State(double bytes, double restoreSecondsPerInstance) {}

    /**
     * On GPUs: an estimate.
     *
     * @param gpus GPUs for the model
     * @param cpuCores cores left for the rest of each frame
     */
    public record Gpu(double gpus, double cpuCores) {}

    /**
     * Sizes a deployment.
     *
     * @param m the measured figures
     * @param d the deployment
     * @return the estimate
     */
    public static Estimate estimate(Measured m, Deployment d) {
        double r = d.framesPerSecond();
        double u = d.utilisation();
        // threads for the frames alone, then partitions, then the cores with the partitions' cost
        // and the threads with their commit waits; planned partitions grow until every thread has
        // one (a few steps: each partition adds a little CPU and commit time)
        long threads = Math.max(1, (long) Math.ceil(r * m.cpuMsPerFrame() / 1000 / u));
        int partitions = d.partitions() > 0 ? d.partitions() : partitions(threads, d.cameras());
        long streamThreads = threadsAt(m, d, partitions);
        while (d.partitions() == 0
                && streamThreads > partitions
                && partitions(streamThreads, d.cameras()) > partitions) {
            partitions = partitions(streamThreads, d.cameras());
            streamThreads = threadsAt(m, d, partitions);
        }
        checkParallelism(m, d, partitions, streamThreads);
        double cores = cores(m, r, u, partitions);
        double share = m.commits().share((double) partitions / streamThreads);
        long instances =
                Math.max(1, (long) Math.ceil((double) streamThreads / d.coresPerInstance()));
        double camerasPerInstance = (double) d.cameras() / instances;
        Measured.Sizes s = m.sizes();
        double stateBytes = d.cameras() * s.canvasBytes();
        double nonModelMs = Math.max(0, m.cpuMsPerFrame() - m.modelMsPerFrame());
        return new Estimate(
                partitions,
                new Cpu(
                        cores,
                        streamThreads,
                        share,
                        instances,
                        m.memory().bytes((double) partitions / instances, camerasPerInstance)),
                new Kafka(
                        r * s.frameBytes(),
                        r * (s.maskBytes() + canvasesPerFrame(d.fps()) * s.canvasBytes())),
                new State(stateBytes, stateBytes / instances / m.restoreBytesPerSecond()),
                new Gpu(
                        r * d.gpuMsPerFrame() / 1000 / u,
                        (r * nonModelMs + partitions * m.cpuMsPerPartitionSecond()) / 1000 / u));
    }

    /**
     * The changelog's canvases per frame in every-frame mode: a camera's canvas is sent once per
     * commit at most, and never more than once a frame.
     *
     * @param fps frames per second of a camera
     * @return canvases per frame, in (0, 1]
     */
    static double canvasesPerFrame(double fps) {
        return Math.min(1, CHANGELOG_COMMITS_PER_SECOND / fps);
    }

    /** The stream threads a deployment needs on this many partitions. */
    private static long threadsAt(Measured m, Deployment d, long partitions) {
        double cores = cores(m, d.framesPerSecond(), d.utilisation(), partitions);
        return streamThreads(cores, partitions, m.commits());
    }

    private static double cores(Measured m, double rateFps, double utilisation, long partitions) {
        return coresBusy(m, rateFps, partitions) / utilisation;
    }

    /**
     * The fewest stream threads T that keep this many cores busy beside their commit waits: T x (1
     * - commit share) >= cores, where a thread's share is r x (a + b x P / T) / 1000 for r commits
     * a second of a ms plus b ms per partition it owns. That is T x (1 - r a / 1000) - r b P / 1000
     * >= cores, linear in T.
     *
     * @throws IllegalArgumentException when a commit with no partition already takes a thread's
     *     whole time
     */
    static long streamThreads(double cores, long partitions, Measured.Commits c) {
        double free = 1 - c.perSecond() * c.msBase() / 1000;
        if (!(free > 0)) {
            throw new IllegalArgumentException(
                    "the measured commits ("
                            + c.perSecond()
                            + " a second of "
                            + c.msBase()
                            + " ms) leave a stream thread no time for frames");
        }
        double needed = (cores + c.perSecond() * c.msPerPartition() * partitions / 1000) / free;
        return Math.max(1, (long) Math.ceil(needed - 1e-9));
    }

    /**
     * Refuses a deployment that no number of instances keeps up with: a camera's frames are keyed
     * by its id, so they are one partition's and are segmented in order by one stream thread; and
     * Kafka Streams runs one task per partition, so threads beyond the partitions stay idle.
     *
     * @throws IllegalArgumentException saying which limit the deployment is past and what to change
     */
    static void checkParallelism(Measured m, Deployment d, int partitions, long streamThreads) {
        double oneThreadFps = 1000 * d.utilisation() / m.cpuMsPerFrame();
        if (d.fps() > oneThreadFps) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "a camera's frames are segmented in order on one stream thread, which"
                                    + " keeps up with %.1f frames/s at %.1f CPU ms a frame and"
                                    + " utilisation %s; --fps %s is more: lower it, or raise"
                                    + " --utilisation",
                            oneThreadFps,
                            m.cpuMsPerFrame(),
                            d.utilisation(),
                            d.fps()));
        }
        if (streamThreads > partitions) {
            // the fewest partitions that give each of the threads they need one (two or three
            // steps with measured figures; bounded for figures where a partition costs a thread)
            long enough = streamThreads;
            for (int step = 0; step < 64 && threadsAt(m, d, enough) > enough; step++) {
                enough = threadsAt(m, d, enough);
            }
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "%d cameras at %s frames/s need %d stream threads, but %d partitions"
                                    + " keep at most %d busy (one task per partition%s): %s",
                            d.cameras(),
                            d.fps(),
                            streamThreads,
                            partitions,
                            partitions,
                            d.partitions() > 0 ? "" : ", at most one partition per camera",
                            d.partitions() > 0
                                    ? "give --partitions "
                                            + enough
                                            + " or more, or leave it out to plan them"
                                    : "lower --fps or raise --utilisation"));
        }
    }

    /** One per stream thread, at least and in steps of 12, at most one per camera. */
    static int partitions(long streamThreads, long cameras) {
        long p = Math.max(PARTITION_STEP, streamThreads);
        p = (p + PARTITION_STEP - 1) / PARTITION_STEP * PARTITION_STEP;
        return (int) Math.max(1, Math.min(p, cameras));
    }

    /**
     * The cores the figures say a measured run kept busy, for checking the fit against it.
     *
     * @param m the figures
     * @param rateFps the run's total frames per second
     * @param partitions its partitions
     * @return cores busy (at full utilisation)
     */
    public static double coresBusy(Measured m, double rateFps, long partitions) {
        return (rateFps * m.cpuMsPerFrame() + partitions * m.cpuMsPerPartitionSecond()) / 1000;
    }
}
