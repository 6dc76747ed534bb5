package io.canvasflow.model;

/**
 * How many threads PyTorch gives one inference, decided before the engine starts.
 *
 * <p>PyTorch's default is one intra-op thread per core, for every inference at once. A serving
 * process also decodes, encodes and talks to Kafka, often beside a broker or a publisher, and
 * OpenMP threads that spin-wait for a core someone else holds make a frame many times slower:
 * measured on a 2-core machine with a broker and a 25 frames/s publisher, {@code serve} segmented
 * 3.4 frames/s at the default (2 threads) and 20 frames/s at 1 thread. So a process that runs
 * {@code N} inferences at once leaves one core to everything else and splits the rest. A value the
 * user set ({@code -Dai.djl.pytorch.num_threads}, {@code -Dai.djl.pytorch.num_interop_threads})
 * always wins.
 */
public final class EngineThreads {

    /** DJL's system property for PyTorch's intra-op threads. */
    public static final String INTRA_OP = "ai.djl.pytorch.num_threads";

    /** DJL's system property for PyTorch's inter-op threads. */
    public static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private EngineThreads() {}

    /**
     * Sets PyTorch's thread counts for a process that runs some inferences at once, unless the user
     * set them. Call it before the first model loads.
     *
     * @param concurrentInferences inferences that run at the same time (stream threads)
     * @param cores the cores this process may use
     * @return the intra-op threads PyTorch will use
     */
    public static int limit(int concurrentInferences, int cores) {
        int intraOp = Math.max(1, (cores - 1) / Math.max(1, concurrentInferences));
        if (System.getProperty(INTRA_OP) == null) {
            System.setProperty(INTRA_OP, Integer.toString(intraOp));
        }
        if (System.getProperty(INTER_OP) == null) {
            System.setProperty(INTER_OP, "1");
        }
        return Integer.parseInt(System.getProperty(INTRA_OP));
    }
}
