package io.canvasflow.clients.view;

import io.canvasflow.clients.ImageCodecs;
import io.canvasflow.clients.SourceFrame;
import io.canvasflow.clients.SyntheticCameraSource;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import io.canvasflow.schemas.avro.MaskEvent;
import io.canvasflow.schemas.avro.ResetReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cameras whose frames and masks a test writes straight to the topics, without a model: synthetic
 * street frames, each with its exact labels as the mask (an indexed PNG in the synthetic classes'
 * colours, as the topology writes them). A cheap stand-in for a topology when what is under test is
 * the viewer. Remembers when it sent each camera's masks, so lags can be measured.
 */
final class FabricatedCameras implements AutoCloseable {

    private static final int LOOP = 20;

    private final List<String> cameras;
    private final Topic<String, Frame> framesTopic;
    private final Topic<String, MaskEvent> masksTopic;
    private final List<List<SourceFrame>> clips = new ArrayList<>();
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Long>> sentNanos = new ConcurrentHashMap<>();

    FabricatedCameras(
            String bootstrap,
            List<String> cameras,
            Topic<String, Frame> framesTopic,
            Topic<String, MaskEvent> masksTopic) {
        this.cameras = List.copyOf(cameras);
        this.framesTopic = framesTopic;
        this.masksTopic = masksTopic;
        for (int c = 0; c < cameras.size(); c++) {
            List<SourceFrame> clip = new ArrayList<>();
            try (SyntheticCameraSource source = new SyntheticCameraSource(c, LOOP)) {
                source.next().ifPresent(clip::add);
                while (clip.size() < LOOP) {
                    clip.add(source.next().orElseThrow());
                }
            }
            clips.add(clip);
        }
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.LINGER_MS_CONFIG,
                                0),
                        new StringSerializer(),
                        new ByteArraySerializer());
    }

    /** Sends every camera's frame and then its mask for one sequence number. */
    void send(long sequence) {
        Instant now = Instant.now();
        for (int c = 0; c < cameras.size(); c++) {
            String camera = cameras.get(c);
            SourceFrame source = clips.get(c).get((int) (sequence % LOOP));
            Frame frame =
                    Frame.newBuilder()
                            .setCameraId(camera)
                            .setSequence(sequence)
                            .setCaptureTimestamp(now)
                            .setWidth(source.image().getWidth())
                            .setHeight(source.image().getHeight())
                            .setEncoding(ImageEncoding.JPEG)
                            .setImage(ByteBuffer.wrap(jpeg(c, sequence)))
                            .setMetadata(Map.of())
                            .build();
            producer.send(
                    new ProducerRecord<>(
                            framesTopic.name(),
                            camera,
                            framesTopic.valueSerde().serializer().serialize("", frame)));
            producer.send(
                    new ProducerRecord<>(
                            masksTopic.name(),
                            camera,
                            masksTopic
                                    .valueSerde()
                                    .serializer()
                                    .serialize("", mask(camera, sequence, source, now))));
            sentNanos
                    .computeIfAbsent(camera, k -> new ConcurrentHashMap<>())
                    .put(sequence, System.nanoTime());
            newest.put(camera, sequence);
        }
        producer.flush();
    }

    /** The newest sequence sent per camera. */
    Map<String, Long> newest() {
        return Map.copyOf(newest);
    }

    /** When a camera's mask of a sequence was sent, {@link System#nanoTime()}, or null. */
    Long sentNanos(String camera, long sequence) {
        Map<Long, Long> times = sentNanos.get(camera);
        return times == null ? null : times.get(sequence);
    }

    private final Map<Long, byte[]> jpegs = new ConcurrentHashMap<>();

    private byte[] jpeg(int camera, long sequence) {
        long key = camera * (long) LOOP + sequence % LOOP;
        return jpegs.computeIfAbsent(
                key,
                k ->
                        ImageCodecs.jpeg(
                                clips.get(camera).get((int) (sequence % LOOP)).image(), 0.85f));
    }

    private static MaskEvent mask(String camera, long sequence, SourceFrame source, Instant now) {
        boolean reset = sequence % 50 == 0;
        return MaskEvent.newBuilder()
                .setCameraId(camera)
                .setSequence(sequence)
                .setCaptureTimestamp(now)
                .setProcessedTimestamp(now)
                .setMaskWidth(source.image().getWidth())
                .setMaskHeight(source.image().getHeight())
                .setClassMap(ByteBuffer.wrap(source.groundTruthPng()))
                .setClassFractions(List.of())
                .setClassNames(SyntheticCameraSource.classes().names())
                .setIterations(reset ? 6 : 2)
                .setSeeded(!reset)
                .setResetReason(
                        reset
                                ? (sequence == 0 ? ResetReason.FIRST_FRAME : ResetReason.KEYFRAME)
                                : null)
                .setModelId("fabricated")
                .setModelVersion("fabricated-1")
                .setModelMillis(1.0)
                .setEndToEndLatencyMillis(5 + sequence % 7)
                .build();
    }

    @Override
    public void close() {
        producer.close();
    }
}
