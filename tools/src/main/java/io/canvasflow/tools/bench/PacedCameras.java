package io.canvasflow.tools.bench;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Many cameras at one total frame rate: the frames go out round-robin over the cameras, each
 * stamped with the time it is sent, so that the same total rate can be spread over 4 or 512
 * cameras. The images come from a small pool of synthetic street scenes rendered and JPEG-encoded
 * once (rendering 512 cameras' frames on the fly would take the cores being measured): camera
 * {@code c} plays scene {@code c mod scenes} from an offset of its own, forth and back, so that
 * consecutive frames of a camera are consecutive frames of one scene and never a scene cut.
 */
final class PacedCameras implements AutoCloseable {

    private final List<List<byte[]>> scenes = new ArrayList<>();
    private final int width;
    private final int height;
    private final KafkaProducer<String, Frame> producer;
    private final String topic;
    private final Map<String, Long> sequences = new HashMap<>();

    /**
     * Renders the pool and connects.
     *
     * @param bootstrapServers the cluster
     * @param topic the frames topic
     * @param sceneCount distinct synthetic scenes
     * @param framesPerScene frames rendered per scene
     */
    PacedCameras(String bootstrapServers, String topic, int sceneCount, int framesPerScene) {
        int w = 0;
        int h = 0;
        for (int s = 0; s < sceneCount; s++) {
            List<byte[]> frames = new ArrayList<>();
            try (SyntheticCameraSource source = new SyntheticCameraSource(s, framesPerScene)) {
                Optional<SourceFrame> f;
                while ((f = source.next()).isPresent()) {
                    w = f.get().image().getWidth();
                    h = f.get().image().getHeight();
                    frames.add(ImageCodecs.jpeg(f.get().image(), ImageCodecs.DEFAULT_JPEG_QUALITY));
                }
            }
            scenes.add(frames);
        }
        this.width = w;
        this.height = h;
        this.topic = topic;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "canvasflow-bench-scale-cameras");
        this.producer =
                new KafkaProducer<>(
                        config,
                        Topics.FRAMES.keySerde().serializer(),
                        Topics.FRAMES.valueSerde().serializer());
    }

    /** The mean size of the pool's JPEG images. */
    double meanFrameBytes() {
        return scenes.stream()
                .flatMap(List::stream)
                .mapToInt(b -> b.length)
                .average()
                .orElse(Double.NaN);
    }

    /**
     * Sends frames round-robin over the cameras at a total rate, each camera's sequence going on
     * from where its last call left it; returns when the last one is sent (not acknowledged).
     *
     * @param cameras the camera ids
     * @param frames how many frames in all
     * @param rate frames per second in all
     */
    void send(List<String> cameras, long frames, double rate) {
        long start = System.nanoTime();
        for (long i = 0; i < frames; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int c = (int) (i % cameras.size());
            String camera = cameras.get(c);
            long sequence = sequences.merge(camera, 1L, Long::sum);
            producer.send(new ProducerRecord<>(topic, camera, frame(c, camera, sequence)));
        }
        producer.flush();
    }

    private Frame frame(int cameraIndex, String camera, long sequence) {
        List<byte[]> scene = scenes.get(cameraIndex % scenes.size());
        int n = scene.size();
        // forth and back through the scene, from an offset of this camera's own
        int period = Math.max(1, 2 * n - 2);
        int t = (int) ((cameraIndex * 37L + sequence) % period);
        byte[] jpeg = scene.get(t < n ? t : period - t);
        return Frame.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg))
                .setGroundTruth(null)
                .setMetadata(Map.of())
                .build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
