package io.canvasflow.cli;

import io.canvasflow.cli.options.BaseCommand;
import io.canvasflow.cli.options.FileConverters;
import io.canvasflow.kafka.DataDirRefusedException;
import io.canvasflow.kafka.EmbeddedKafkaBroker;
import io.canvasflow.schemas.Topic;
import io.canvasflow.schemas.TopicNames;
import io.canvasflow.schemas.Topics;
import io.canvasflow.schemas.avro.Frame;
import io.canvasflow.schemas.avro.ImageEncoding;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code canvasflow broker}: a single-node Kafka broker in this process, on loopback. */
@Command(
        name = "broker",
        description = {
            "Runs a single-node Kafka broker (KRaft, broker and controller in one) in this process"
                    + " until Ctrl-C.",
            "With --smoke it instead starts one on free ports, sends a few frames through it,"
                    + " prints the outcome and exits."
        })
public final class BrokerCommand extends BaseCommand {

    /** Client port when none is given and not in smoke mode. */
    public static final int DEFAULT_PORT = 9092;

    /** Controller port when none is given and not in smoke mode. */
    public static final int DEFAULT_CONTROLLER_PORT = 9093;

    /** Frames the smoke test sends. */
    public static final int SMOKE_RECORDS = 4;

    @Option(
            names = "--topic",
            paramLabel = "NAME[:PARTITIONS]",
            converter = TopicSpecConverter.class,
            description =
                    "Topic to create once the broker is up; repeatable. One partition unless"
                            + " given.")
    private List<TopicSpec> topics = new ArrayList<>();

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description =
                    "Client port on 127.0.0.1 (default "
                            + DEFAULT_PORT
                            + "; any free port"
                            + " with --smoke).")
    private Integer port;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            description =
                    "KRaft controller port on 127.0.0.1 (default "
                            + DEFAULT_CONTROLLER_PORT
                            + "; any free port with --smoke).")
    private Integer controllerPort;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            converter = FileConverters.OutputFolder.class,
            description =
                    "Keep the broker's data here across runs (default: a temporary"
                            + " directory deleted on exit).")
    private Path dataDir;

    @Option(
            names = "--smoke",
            description = "Start, round-trip " + SMOKE_RECORDS + " frames, print the result, exit.")
    private boolean smoke;

    /** A topic to create: its name and partition count. */
    public record TopicSpec(String name, int partitions) {}

    /** The outcome of {@link #runSmoke(EmbeddedKafkaBroker, int)}. */
    public record SmokeResult(
            String bootstrapServers,
            String topic,
            int produced,
            int consumed,
            boolean identical,
            long millis) {

        /** Whether every frame came back unchanged. */
        public boolean passed() {
            return identical && produced == consumed;
        }

        /** One line for the console. */
        public String summary() {
            return String.format(
                    "smoke %s: produced %d and consumed %d Frame records (%s) on topic %s at %s in"
                            + " %d ms",
                    passed() ? "OK" : "FAILED",
                    produced,
                    consumed,
                    identical ? "identical" : "different",
                    topic,
                    bootstrapServers,
                    millis);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = out();
        PrintWriter err = err();
        // A topic named twice was created once with the first count, the second without a word;
        // Kafka also refuses names that differ only in '.' and '_'
        for (int i = 0; i < topics.size(); i++) {
            TopicSpec t = topics.get(i);
            TopicSpec before =
                    topics.subList(0, i).stream()
                            .filter(b -> TopicNames.collide(b.name(), t.name()))
                            .findFirst()
                            .orElse(null);
            if (before != null) {
                return refuse(
                        err,
                        before.name().equals(t.name())
                                ? "--topic " + t.name() + " is given twice; give each topic once"
                                : "--topic "
                                        + before.name()
                                        + " and "
                                        + t.name()
                                        + " collide (Kafka takes '.' and '_' as the same);"
                                        + " give only one of them");
            }
        }
        int defaultPort = smoke ? 0 : DEFAULT_PORT;
        int defaultControllerPort = smoke ? 0 : DEFAULT_CONTROLLER_PORT;
        EmbeddedKafkaBroker.Builder builder =
                EmbeddedKafkaBroker.builder()
                        .optPorts(
                                port == null ? defaultPort : port,
                                controllerPort == null ? defaultControllerPort : controllerPort);
        if (dataDir != null) {
            builder.optDataDir(dataDir);
        }
        EmbeddedKafkaBroker broker;
        try {
            broker = builder.build();
        } catch (RuntimeException e) {
            return refuse(err, e.getMessage());
        }
        // Kafka reports a taken port with pages of stack traces; say it in one sentence first.
        for (int taken : List.of(broker.brokerPort(), broker.controllerPort())) {
            if (!free(taken)) {
                broker.close(); // built, not started: this deletes its temporary data folder
                return refuse(
                        err,
                        "port "
                                + taken
                                + " on 127.0.0.1 is taken (another broker?); stop what listens"
                                + " there or choose another --port / --controller-port");
            }
        }
        if (dataDir != null) {
            // made here, after the ports: a folder that cannot be made is a refusal naming it, not
            // a failed start, and a refused broker leaves no empty folder behind
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                broker.close();
                return refuse(
                        err,
                        "--data-dir "
                                + dataDir
                                + " cannot be created ("
                                + e.getClass().getSimpleName()
                                + " on "
                                + e.getMessage()
                                + "); give a folder you can write in");
            }
        }
        // Before the start: Ctrl-C while Kafka starts (or formats) still deletes a temporary
        // folder; close() waits for start() to return
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "canvasflow-broker-stop"));
        try {
            broker.start();
        } catch (DataDirRefusedException e) {
            broker.close();
            return refuse(err, "--data-dir " + e.getMessage());
        } catch (RuntimeException e) {
            broker.close();
            err.println("canvasflow broker: " + e.getMessage());
            return 1;
        }
        if (smoke) {
            try (broker) {
                SmokeResult result = runSmoke(broker, SMOKE_RECORDS);
                out.println(result.summary());
                out.flush();
                return result.passed() ? 0 : 1;
            } catch (RuntimeException e) {
                err.println("canvasflow broker --smoke: " + e.getMessage());
                return 1;
            }
        }
        return serve(broker, out, err);
    }

    private int serve(EmbeddedKafkaBroker broker, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        try {
            Map<String, Integer> partitions = new LinkedHashMap<>();
            topics.forEach(t -> partitions.put(t.name(), t.partitions()));
            if (!partitions.isEmpty()) {
                broker.createTopics(partitions);
                warnOfOtherPartitions(broker, partitions, err);
            }
        } catch (RuntimeException e) {
            broker.close();
            return refuse(err, e.getMessage());
        }
        out.println("Kafka broker ready at " + broker.bootstrapServers());
        out.flush();
        // Until Ctrl-C: the shutdown hook closes the broker while this thread waits.
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * A {@code --topic NAME:N} whose topic the data folder already holds with another partition
     * count is left as it is (Kafka cannot take partitions away); say so rather than nothing.
     */
    private static void warnOfOtherPartitions(
            EmbeddedKafkaBroker broker, Map<String, Integer> asked, PrintWriter err) {
        try (Admin admin = Admin.create(broker.clientConfig())) {
            admin.describeTopics(asked.keySet())
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .forEach(
                            (name, description) -> {
                                int has = description.partitions().size();
                                if (has != asked.get(name)) {
                                    err.println(
                                            "canvasflow broker: topic "
                                                    + name
                                                    + " already has "
                                                    + has
                                                    + " partitions, not the "
                                                    + asked.get(name)
                                                    + " asked for; it is kept as it is");
                                }
                            });
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            err.println(
                    "canvasflow broker: could not read the topics' partitions back: "
                            + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.flush();
    }

    /**
     * Creates a fresh topic shaped like {@link Topics#FRAMES}, sends {@code records} frames with
     * real JPEG images through it with the production serdes, reads them back and compares them.
     *
     * @param broker a running broker
     * @param records how many frames to send
     * @return what was sent, what came back and whether it matched
     */
    public static SmokeResult runSmoke(EmbeddedKafkaBroker broker, int records) {
        long started = System.nanoTime();
        Topic<String, Frame> topic =
                Topics.FRAMES.withName(
                        Topics.FRAMES.name()
                                + "-smoke-"
                                + UUID.randomUUID().toString().substring(0, 8));
        broker.createTopics(Map.of(topic.name(), 1));
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            sent.add(smokeFrame(i));
        }
        Map<String, Object> producerConfig = broker.clientConfig();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Frame> producer =
                new KafkaProducer<>(
                        producerConfig,
                        topic.keySerde().serializer(),
                        topic.valueSerde().serializer())) {
            for (Frame frame : sent) {
                producer.send(new ProducerRecord<>(topic.name(), frame.getCameraId(), frame)).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not produce to " + topic.name() + ": " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        }
        List<Frame> received = new ArrayList<>();
        Map<String, Object> consumerConfig = broker.clientConfig();
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, Frame> consumer =
                new KafkaConsumer<>(
                        consumerConfig,
                        topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic.name(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < records && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            }
        }
        return new SmokeResult(
                broker.bootstrapServers(),
                topic.name(),
                sent.size(),
                received.size(),
                sent.equals(received),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static Frame smokeFrame(int index) {
        int width = 32;
        int height = 24;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 10) << 8 | (index * 60));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", jpeg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Frame.newBuilder()
                .setCameraId("smoke-camera")
                .setSequence(index)
                .setCaptureTimestamp(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setWidth(width)
                .setHeight(height)
                .setEncoding(ImageEncoding.JPEG)
                .setImage(ByteBuffer.wrap(jpeg.toByteArray()))
                .setMetadata(Map.of("source", "canvasflow broker --smoke"))
                .build();
    }

    /** Parses {@code NAME[:PARTITIONS]}. */
    static final class TopicSpecConverter implements ITypeConverter<TopicSpec> {
        @Override
        public TopicSpec convert(String value) {
            String[] parts = value.split(":", -1);
            String name = parts[0].trim();
            if (name.isEmpty() || parts.length > 2) {
                throw new TypeConversionException(
                        "expected NAME[:PARTITIONS] but found '" + value + "'");
            }
            // Kafka's own rule (characters, length, not . or ..), before the broker starts
            String problem = TopicNames.problem(name);
            if (problem != null) {
                throw new TypeConversionException(problem);
            }
            if (parts.length == 1) {
                return new TopicSpec(name, 1);
            }
            try {
                int partitions = Integer.parseInt(parts[1].trim());
                if (partitions < 1) {
                    throw new NumberFormatException();
                }
                return new TopicSpec(name, partitions);
            } catch (NumberFormatException e) {
                throw new TypeConversionException(
                        "expected a positive partition count after ':' but found '" + value + "'");
            }
        }
    }

    /** A bad setting: one line on standard error and status 2. */
    private static int refuse(PrintWriter err, String sentence) {
        err.println("canvasflow broker: " + sentence);
        err.flush();
        return 2;
    }

    /** Whether nothing listens on this loopback port now. */
    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as Kafka's own listener: a TIME_WAIT does not count
            probe.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
