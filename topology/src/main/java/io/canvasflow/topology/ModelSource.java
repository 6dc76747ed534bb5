package io.canvasflow.topology;

import io.canvasflow.model.DeviceChoice;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.model.SegmentationModel;
import io.canvasflow.model.Segmenter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model of a CanvasFlow instance, loaded once, and one {@link Segmenter} per stream thread.
 *
 * <p>A segmenter is not thread-safe, and a stream thread runs many tasks, one after another, so
 * segmenters belong to threads, not to processors: {@link #segmenter()} returns the calling
 * thread's, creating it on first use. Segmenters of threads that have died (a stream thread
 * replaced after an error) are closed when the next one is created; all are closed by {@link
 * #close()}, after Kafka Streams has stopped.
 *
 * <p>The first model loaded in a JVM starts the PyTorch engine, which fixes its thread counts then:
 * a program that loads one to pass to {@link CanvasFlowApp#start(CanvasFlowConfig, ModelSource)}
 * calls {@link io.canvasflow.model.EngineThreads#limit} before, with the stream threads it will
 * run.
 */
public final class ModelSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSource.class);

    private final SegmentationModel model;
    private final boolean ownsModel;
    private final Map<Thread, Segmenter> segmenters = new ConcurrentHashMap<>();

    private ModelSource(SegmentationModel model, boolean ownsModel) {
        this.model = model;
        this.ownsModel = ownsModel;
    }

    /**
     * Loads a model artifact.
     *
     * @param dir the model directory
     * @param device where to run it
     * @return a source that closes the model when closed
     * @throws io.canvasflow.model.ModelLoadException with one sentence when the artifact is bad
     * @throws IllegalStateException when a GPU is required and there is none
     */
    public static ModelSource load(Path dir, DeviceChoice device) {
        return new ModelSource(SegmentationModel.load(dir, device), true);
    }

    /**
     * Wraps a model loaded elsewhere; closing the source does not close the model.
     *
     * @param model the model
     * @return the source
     */
    public static ModelSource of(SegmentationModel model) {
        return new ModelSource(model, false);
    }

    /** The model's description: id, version, classes, input size. */
    public ModelSpec spec() {
        return model.spec();
    }

    /** The calling thread's segmenter. */
    public Segmenter segmenter() {
        Segmenter mine = segmenters.get(Thread.currentThread());
        if (mine != null) {
            return mine;
        }
        closeSegmentersOfDeadThreads();
        LOG.info(
                "creating a segmenter of model {} for thread {}",
                spec().version(),
                Thread.currentThread().getName());
        return segmenters.computeIfAbsent(Thread.currentThread(), t -> model.newSegmenter());
    }

    /** How many threads hold a segmenter. */
    int segmenterCount() {
        return segmenters.size();
    }

    private void closeSegmentersOfDeadThreads() {
        segmenters.forEach(
                (thread, segmenter) -> {
                    if (!thread.isAlive() && segmenters.remove(thread, segmenter)) {
                        segmenter.close();
                    }
                });
    }

    /** Closes every segmenter and, if this source loaded it, the model. */
    @Override
    public void close() {
        segmenters.forEach(
                (thread, segmenter) -> {
                    if (segmenters.remove(thread, segmenter)) {
                        segmenter.close();
                    }
                });
        if (ownsModel) {
            model.close();
        }
    }
}
