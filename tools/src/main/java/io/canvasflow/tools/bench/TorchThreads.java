package io.canvasflow.tools.bench;

import ai.djl.engine.Engine;
import io.canvasflow.model.EngineThreads;
import java.lang.reflect.Method;

/**
 * PyTorch's intra-op thread count (its OpenMP pool per calling thread), reached through the PyTorch
 * engine's JNI class by reflection: CanvasFlow compiles against DJL's API only, and the engine is a
 * runtime dependency.
 *
 * <p>PyTorch keeps one global count and applies it to each native thread lazily, the first time
 * that thread runs an operator. So {@link #set(int)} governs threads that have not run PyTorch yet:
 * set it, then start the stream threads (or the benchmark thread) that should use it. Threads that
 * already ran keep what they had. {@code -Dai.djl.pytorch.num_threads=N} sets the same count when
 * the engine loads.
 */
public final class TorchThreads {

    private static final String JNI = "ai.djl.pytorch.jni.JniUtils";

    private TorchThreads() {}

    /**
     * The intra-op threads the calling thread runs PyTorch operators with.
     *
     * @return the count, or -1 when the engine is not PyTorch
     */
    public static int get() {
        try {
            return (int) method("getNumThreads").invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Sets the intra-op threads of threads that have not run PyTorch yet, and the system property
     * {@link EngineThreads#INTRA_OP} to the same count.
     *
     * @param threads the count, at least 1
     * @return whether the engine took it (false when the engine is not PyTorch)
     */
    public static boolean set(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException(
                    "expected at least one intra-op thread but found " + threads);
        }
        try {
            method("setNumThreads", int.class).invoke(null, threads);
            // Where CanvasFlowApp.start reads the count asked for (EngineThreads.limit keeps a
            // count already set): a run at a count chosen here is then said as the count it runs,
            // not warned of as an engine that started with other counts.
            System.setProperty(EngineThreads.INTRA_OP, Integer.toString(threads));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The count a fresh thread gets now: asks from a new thread, since the calling thread's own
     * count may predate the last {@link #set(int)}.
     *
     * @return the count, or -1 when the engine is not PyTorch
     */
    public static int forNewThreads() {
        int[] out = {-1};
        Thread probe = new Thread(() -> out[0] = get(), "torch-threads-probe");
        probe.start();
        try {
            probe.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out[0];
    }

    private static Method method(String name, Class<?>... params)
            throws ReflectiveOperationException {
        // Loads the native library first; the JNI class cannot be used before.
        Engine.getEngine("PyTorch");
        return Class.forName(JNI).getMethod(name, params);
    }
}
