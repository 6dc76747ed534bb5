package io.canvasflow.topology;

import io.canvasflow.model.EngineThreads;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PyTorch threads an inference runs with, as {@link CanvasFlowApp#start} says them. {@link
 * EngineThreads#limit} only sets DJL's system properties, which the engine reads once, when it
 * starts: an engine that started before (a model the caller loaded first) keeps the counts it
 * started with, so the count said is the one read from the engine.
 */
final class EngineThreadsInEffect {

    private static final Logger LOG = LoggerFactory.getLogger(EngineThreadsInEffect.class);

    /** DJL's PyTorch engine's own calls, whose {@code getNumThreads} asks libtorch. */
    private static final String PYTORCH_JNI = "ai.djl.pytorch.jni.JniUtils";

    private EngineThreadsInEffect() {}

    /**
     * Logs the intra-op threads per inference: at INFO when they are the ones asked for, at WARN,
     * with what to do, when the engine runs others.
     *
     * @param asked what {@link EngineThreads#limit} returned
     * @param streamThreads the stream threads, each running its own inferences
     */
    static void say(int asked, int streamThreads) {
        OptionalInt running = running();
        if (running.isPresent() && running.getAsInt() != asked) {
            LOG.warn(mismatch(asked, running.getAsInt(), streamThreads));
        } else {
            LOG.info(
                    "PyTorch runs {} intra-op thread(s) per inference, {} stream thread(s)",
                    asked,
                    streamThreads);
        }
    }

    /**
     * The warning for an engine that runs other thread counts than the ones asked for.
     *
     * @param asked the intra-op threads asked for
     * @param running the intra-op threads the engine runs
     * @param streamThreads the stream threads
     * @return one sentence that names what to call
     */
    static String mismatch(int asked, int running, int streamThreads) {
        return "PyTorch runs "
                + running
                + " intra-op thread(s) per inference, not the "
                + asked
                + " set for "
                + streamThreads
                + " stream thread(s): its engine started before CanvasFlowApp.start (a model"
                + " loaded first) and keeps the thread counts it started with; call"
                + " EngineThreads.limit("
                + streamThreads
                + ", Runtime.getRuntime().availableProcessors()) before loading the first model";
    }

    /**
     * The intra-op threads the PyTorch engine runs now; empty when it has not started (it then
     * starts with the properties as they are) or the engine is another.
     */
    static OptionalInt running() {
        try {
            // By name: topology, like model-runtime, compiles against none of DJL's engines. A
            // call before the engine loaded its library fails to link, and links once it has.
            Object threads = Class.forName(PYTORCH_JNI).getMethod("getNumThreads").invoke(null);
            return threads instanceof Integer n ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return OptionalInt.empty();
        }
    }
}
