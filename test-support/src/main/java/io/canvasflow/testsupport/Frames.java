package io.canvasflow.testsupport;

import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Frame records for tests, built the one way every test builds them. */
public final class Frames {

    /** Milliseconds between frames of a camera at 25 frames per second. */
    public static final long FRAME_MS_25_FPS = 40;

    private Frames() {}

    /**
     * A frame of a camera filming at 25 frames per second: captured at {@code t0 + sequence * 40
     * ms}.
     *
     * @param camera the camera id (the record key)
     * @param sequence the frame's sequence number in its camera
     * @param t0 the capture time of sequence 0
     * @param width the image width the frame claims
     * @param height the image height the frame claims
     * @param encoding the image encoding the frame claims
     * @param image the encoded image bytes
     * @return the frame
     */
    public static Frame at25Fps(
            String camera,
            long sequence,
            Instant t0,
            int width,
            int height,
            ImageEncoding encoding,
            byte[] image) {
        return frame(
                camera,
                sequence,
                t0.plusMillis(sequence * FRAME_MS_25_FPS),
                width,
                height,
                encoding,
                image);
    }

    /**
     * A frame without metadata.
     *
     * @param camera the camera id (the record key)
     * @param sequence the frame's sequence number in its camera
     * @param capture the capture time
     * @param width the image width the frame claims
     * @param height the image height the frame claims
     * @param encoding the image encoding the frame claims
     * @param image the encoded image bytes
     * @return the frame
     */
    public static Frame frame(
            String camera,
            long sequence,
            Instant capture,
            int width,
            int height,
            ImageEncoding encoding,
            byte[] image) {
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(capture)
                .setWidth(width)
                .setHeight(height)
                .setEncoding(encoding)
                .setImage(ByteBuffer.wrap(image))
                .setMetadata(Map.of())
                .build();
    }

    /**
     * The frames of some records, in camera then sequence order.
     *
     * @param records records read from a frames topic
     * @return their values, sorted
     */
    public static List<Frame> sorted(List<ConsumerRecord<String, Frame>> records) {
        return records.stream()
                .map(ConsumerRecord::value)
                .sorted(
                        Comparator.comparing(Frame::getCameraId)
                                .thenComparingLong(Frame::getSequence))
                .toList();
    }
}
