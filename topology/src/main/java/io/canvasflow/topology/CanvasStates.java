package io.canvasflow.topology;

import io.canvasflow.model.Canvas;
import io.canvasflow.model.ModelSpec;
import io.canvasflow.schemas.avro.CanvasState;
import io.canvasflow.schemas.avro.Frame;
import java.nio.ByteBuffer;

/** Converts between the stored {@link CanvasState} and the model's {@link Canvas}. */
final class CanvasStates {

    private CanvasStates() {}

    /** The state to store after segmenting a frame. */
    static CanvasState of(Frame frame, ModelSpec spec, Canvas canvas) {
        return forFrame(frame, spec, canvas.modelVersion())
                .setClasses(canvas.classes())
                .setCanvasHeight(canvas.height())
                .setCanvasWidth(canvas.width())
                .setLogits(ByteBuffer.wrap(canvas.toBytes()))
                .build();
    }

    /**
     * The state to store after a model that reads no canvas (feed-forward) segmented a frame: its
     * sequence, capture time, model version and frame size, which order the camera's frames and
     * make a recurrent model after it start from zero, and an empty 0x0x0 canvas, as its logits
     * would seed nothing.
     */
    static CanvasState withoutCanvas(Frame frame, ModelSpec spec) {
        return forFrame(frame, spec, spec.version())
                .setClasses(0)
                .setCanvasHeight(0)
                .setCanvasWidth(0)
                .setLogits(ByteBuffer.allocate(0))
                .build();
    }

    /**
     * A state's builder with what every state says of its frame and model: the frame's sequence,
     * capture time and size, the model's id and the version that segmented it.
     */
    private static CanvasState.Builder forFrame(Frame frame, ModelSpec spec, String modelVersion) {
        return CanvasState.newBuilder()
                .setSequence(frame.getSequence())
                .setCaptureTimestamp(frame.getCaptureTimestamp())
                .setModelId(spec.modelId())
                .setModelVersion(modelVersion)
                .setFrameWidth(frame.getWidth())
                .setFrameHeight(frame.getHeight());
    }

    /**
     * Decodes the stored logits.
     *
     * @throws IllegalArgumentException when their length does not match the stored shape, or the
     *     state holds no canvas ({@link #withoutCanvas})
     */
    static Canvas canvas(CanvasState state) {
        ByteBuffer logits = state.getLogits().duplicate();
        byte[] bytes = new byte[logits.remaining()];
        logits.get(bytes);
        return Canvas.fromBytes(
                bytes,
                state.getClasses(),
                state.getCanvasHeight(),
                state.getCanvasWidth(),
                state.getModelVersion());
    }

    /** What the policy needs to know about a stored state. */
    static CanvasPolicy.Previous previous(CanvasState state, boolean logitsReadable) {
        return new CanvasPolicy.Previous(
                state.getSequence(),
                state.getCaptureTimestamp().toEpochMilli(),
                state.getModelVersion(),
                state.getFrameWidth(),
                state.getFrameHeight(),
                logitsReadable);
    }
}
