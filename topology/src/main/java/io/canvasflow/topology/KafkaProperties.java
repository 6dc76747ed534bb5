package io.canvasflow.topology;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.DslStoreSuppliers;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.RocksDBConfigSetter;

/**
 * The Kafka properties a configuration passes through to Kafka Streams and its clients, judged by
 * Kafka's own definitions: which names are Kafka's, whether a value is valid (checked when the
 * configuration is built, so that {@code serve -D session.timeout.ms=abc} is one sentence before
 * anything starts, not a stack trace after the topics were made), and which values are secrets.
 */
final class KafkaProperties {

    private static final ConfigDef STREAMS = StreamsConfig.configDef();
    private static final ConfigDef PRODUCER = ProducerConfig.configDef();
    private static final ConfigDef CONSUMER = ConsumerConfig.configDef();
    private static final ConfigDef ADMIN = AdminClientConfig.configDef();

    /**
     * Kafka Streams' prefixes for the properties of one of its clients (the definitions that judge
     * them) or of its topics (none here: the broker judges those).
     */
    private static final Map<String, List<ConfigDef>> PREFIXES = prefixes();

    /** Every name Kafka defines for Streams and its clients, unprefixed. */
    private static final Set<String> NAMES = names();

    /**
     * The prefixes of the names Kafka reads without defining each ({@code
     * config.providers.file.class}, {@code metrics.context.resource.cluster.id}, {@code
     * client.tag.zone} for rack-aware standbys, {@code metrics.jmx.include}): no definition lists
     * them, so without these they were refused unless prefixed {@code kafka.}.
     */
    private static final List<String> DYNAMIC_PREFIXES =
            List.of(
                    AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".",
                    CommonClientConfigs.METRICS_CONTEXT_PREFIX,
                    JmxReporter.METRICS_CONFIG_PREFIX,
                    StreamsConfig.CLIENT_TAG_PREFIX);

    /**
     * The topic configs every broker takes: the {@code *_CONFIG} constants of kafka-clients' {@code
     * TopicConfig}, Kafka's public list of them. A broker may take more (the broker's own list,
     * {@code LogConfig}, is internal and adds the replication throttles; Confluent Server adds
     * {@code confluent.*}), so a {@code topic.} name is refused only near one of these or a setting
     * (a misspelt {@code topic.frames}, which failed each stream thread once the changelog was
     * created, after the topics).
     */
    private static final Set<String> TOPIC_CONFIGS = topicConfigs();

    /** Which client each Streams client prefix gives its properties to, for a refusal. */
    private static final Map<String, String> CLIENTS =
            Map.of(
                    StreamsConfig.MAIN_CONSUMER_PREFIX, "consumer",
                    StreamsConfig.RESTORE_CONSUMER_PREFIX, "consumer",
                    StreamsConfig.GLOBAL_CONSUMER_PREFIX, "consumer",
                    StreamsConfig.CONSUMER_PREFIX, "consumer",
                    StreamsConfig.PRODUCER_PREFIX, "producer",
                    StreamsConfig.ADMIN_CLIENT_PREFIX, "admin client");

    /** Parts of a name that say it holds a secret, whatever defines it (a schema registry...). */
    private static final List<String> SECRET_WORDS =
            List.of(
                    "password",
                    "secret",
                    "token",
                    "credential",
                    "user.info",
                    "apikey",
                    "api.key",
                    "private.key",
                    "jaas.config");

    /**
     * Streams properties CanvasFlow sets itself, after the user's, with why: a value given for one
     * would be replaced without a word, and {@code --print-config} would show a value nobody uses.
     */
    private static final Map<String, String> SET_BY_CANVASFLOW = setByCanvasFlow();

    /**
     * The interface each of Streams' class-valued properties must implement: Kafka's definitions
     * say only "a class", so a wrong one passed them and then failed every stream thread at its
     * first task (a timestamp extractor) or Kafka Streams' constructor (a client supplier).
     */
    private static final Map<String, Class<?>> CLASS_KINDS =
            Map.of(
                    StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG,
                    TimestampExtractor.class,
                    StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG,
                    Serde.class,
                    StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG,
                    Serde.class,
                    StreamsConfig.DEFAULT_CLIENT_SUPPLIER_CONFIG,
                    KafkaClientSupplier.class,
                    StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG,
                    RocksDBConfigSetter.class,
                    StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG,
                    DslStoreSuppliers.class);

    private KafkaProperties() {}

    private static Map<String, String> setByCanvasFlow() {
        String deadLetters = "records that fail go to the dead-letter topic (setting topic.dlq)";
        Map<String, String> own = new LinkedHashMap<>();
        own.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, deadLetters);
        own.put("default.deserialization.exception.handler", deadLetters);
        own.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, deadLetters);
        own.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, deadLetters);
        own.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "set topic.dlq instead");
        String refused = "a record the cluster refuses stops the instance, so that nothing is lost";
        own.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, refused);
        own.put("default.production.exception.handler", refused);
        return Collections.unmodifiableMap(own);
    }

    /** Whether Kafka Streams or one of its clients takes this property, by name or prefix. */
    static boolean isKafkaName(String name) {
        return NAMES.contains(name)
                || PREFIXES.keySet().stream().anyMatch(name::startsWith)
                || isDynamic(name);
    }

    /** Whether a name is one Kafka reads by its prefix ({@code client.tag.zone}). */
    private static boolean isDynamic(String name) {
        return DYNAMIC_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /**
     * Why a name given as a Kafka property is a misspelling, or null when Kafka may take it. A name
     * no definition knows is refused only one letter (two in a longer name) from one it may have
     * been meant as: under {@code topic.} a CanvasFlow setting or a topic config ({@code
     * topic.frame}, {@code topic.retention.m}), or a Streams or client property, which is no topic
     * config; under a client prefix a property that client defines ({@code
     * consumer.max.poll.record}). The others are passed on, as Kafka passes them: a topic config to
     * the broker, which may know more than kafka-clients ({@code confluent.placement.constraints}),
     * a client's to the interceptors, serdes, metrics reporters and login callbacks that read their
     * own.
     *
     * @param key the name as given, perhaps with {@code kafka.}, for the suggestion
     * @param name the same without {@code kafka.}
     * @param settings the CanvasFlow settings, which may have been meant
     * @param spelt how the source spells a key it suggests (an environment variable's name)
     * @return the rest of the refusal sentence after the name, or null
     */
    static String misnamed(
            String key, String name, Set<String> settings, UnaryOperator<String> spelt) {
        String given = key.substring(0, key.length() - name.length());
        if (isDynamic(name)) {
            return null;
        }
        if (name.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            String topicConfig = name.substring(StreamsConfig.TOPIC_PREFIX.length());
            if (TOPIC_CONFIGS.contains(topicConfig)) {
                return null;
            }
            String why = "it is not a CanvasFlow setting, and " + topicConfig;
            String sets = " (topic.NAME sets NAME on the topics Kafka Streams creates); ";
            if (NAMES.contains(topicConfig)) {
                return why
                        + " is a Kafka Streams or client property, not a topic config"
                        + sets
                        + "did you mean "
                        + spelt.apply(given + topicConfig)
                        + "?";
            }
            Set<String> meant = new TreeSet<>(settings);
            TOPIC_CONFIGS.forEach(c -> meant.add(StreamsConfig.TOPIC_PREFIX + c));
            return misspelt(why + " is not a Kafka topic config" + sets, name, meant, given, spelt);
        }
        for (Map.Entry<String, String> client : CLIENTS.entrySet()) {
            String prefix = client.getKey();
            if (name.startsWith(prefix)) {
                String bare = name.substring(prefix.length());
                Set<String> known = PREFIXES.get(prefix).get(0).names();
                String why = "Kafka's " + client.getValue() + " has no property " + bare + "; ";
                return known.contains(bare) || isDynamic(bare)
                        ? null
                        : misspelt(why, bare, known, given + prefix, spelt);
            }
        }
        if (NAMES.contains(name)) {
            return null;
        }
        Set<String> meant = new TreeSet<>(NAMES);
        meant.addAll(settings);
        String why = "Kafka Streams and its clients have no property " + name + "; ";
        return misspelt(why, name, meant, given, spelt);
    }

    /** Why a name is refused, with what was meant, where a known one is near; else null. */
    private static String misspelt(
            String why,
            String name,
            Set<String> known,
            String prefix,
            UnaryOperator<String> spelt) {
        return NearNames.nearest(name, known)
                .map(n -> why + "did you mean " + spelt.apply(prefix + n) + "?")
                .orElse(null);
    }

    /**
     * Checks a value the way the Kafka client that takes it will: its type, then its validator. A
     * name no definition knows (a plugin's, a topic's) is left to whoever reads it.
     *
     * @param name the property, perhaps with a Streams client prefix
     * @param value its value
     * @param origin where it came from, for the sentence ({@code key in FILE}...), or null
     * @param exactlyOnce whether processing.guarantee is exactly_once_v2, where Kafka Streams sets
     *     more of its clients' properties itself
     * @throws IllegalArgumentException in one sentence naming the property and what Kafka expects
     */
    static void check(String name, String value, String origin, boolean exactlyOnce) {
        String where =
                origin == null || origin.equals(ConfigSources.COMMAND_LINE)
                        ? ""
                        : " (" + origin + ")";
        String own = SET_BY_CANVASFLOW.get(unprefixed(name));
        if (own != null) {
            throw new IllegalArgumentException(
                    "Kafka property "
                            + name
                            + where
                            + " is set by CanvasFlow and cannot be replaced: "
                            + own
                            + "; remove it");
        }
        String streams = StreamsOwned.decider(name, exactlyOnce);
        if (streams != null) {
            throw new IllegalArgumentException(
                    "Kafka property "
                            + name
                            + where
                            + " is set by Kafka Streams and cannot be replaced: "
                            + streams
                            + "; remove it");
        }
        if (name.equals(StreamsConfig.APPLICATION_SERVER_CONFIG) && !value.isBlank()) {
            try {
                // what KafkaStreams' constructor parses, after the topics were made
                HostInfo.buildFromEndpoint(value.trim());
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Kafka property " + name + where + " is not valid: " + e.getMessage());
            }
        }
        for (ConfigDef definition : definitions(name)) {
            String bare = unprefixed(name);
            ConfigDef.ConfigKey key = definition.configKeys().get(bare);
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(bare, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(bare, parsed);
                }
                if (definition == STREAMS
                        && bare.equals(StreamsConfig.REPLICATION_FACTOR_CONFIG)
                        && (int) parsed != -1
                        && (int) parsed < 1) {
                    // Streams' definition takes any int; the broker refuses these for every
                    // changelog, failing each stream thread at its first rebalance for ever
                    throw new ConfigException(
                            "it must be -1 (the brokers' default.replication.factor) or at least"
                                    + " 1, got "
                                    + parsed);
                }
                Class<?> kind = definition == STREAMS ? CLASS_KINDS.get(bare) : null;
                if (kind != null && parsed instanceof Class<?> c && !kind.isAssignableFrom(c)) {
                    throw new ConfigException(
                            "class " + c.getName() + " is not a " + kind.getName());
                }
            } catch (ConfigException e) {
                throw new IllegalArgumentException(
                        "Kafka property " + name + where + " is not valid: " + e.getMessage());
            }
        }
    }

    /**
     * Whether a property holds a secret: a password in Kafka's own definitions (for example {@code
     * sasl.jaas.config}, {@code ssl.key.password}), with or without a Streams client prefix, or a
     * name that says so (password, secret, token, credential, API or private key, user info, JAAS).
     */
    static boolean isSecret(String name) {
        String bare = unprefixed(name);
        for (ConfigDef definition : List.of(STREAMS, PRODUCER, CONSUMER, ADMIN)) {
            ConfigDef.ConfigKey key = definition.configKeys().get(bare);
            if (key != null && key.type == ConfigDef.Type.PASSWORD) {
                return true;
            }
        }
        String lower = bare.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    /** The definitions that judge a property: its prefix's client's, or all four unprefixed. */
    private static List<ConfigDef> definitions(String name) {
        for (Map.Entry<String, List<ConfigDef>> e : PREFIXES.entrySet()) {
            if (name.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return List.of(STREAMS, PRODUCER, CONSUMER, ADMIN);
    }

    private static String unprefixed(String name) {
        for (String prefix : PREFIXES.keySet()) {
            if (name.startsWith(prefix)) {
                return name.substring(prefix.length());
            }
        }
        return name;
    }

    private static Map<String, List<ConfigDef>> prefixes() {
        // The longer consumer prefixes first: "main.consumer." is not "consumer." + something
        Map<String, List<ConfigDef>> prefixes = new LinkedHashMap<>();
        prefixes.put(StreamsConfig.MAIN_CONSUMER_PREFIX, List.of(CONSUMER));
        prefixes.put(StreamsConfig.RESTORE_CONSUMER_PREFIX, List.of(CONSUMER));
        prefixes.put(StreamsConfig.GLOBAL_CONSUMER_PREFIX, List.of(CONSUMER));
        prefixes.put(StreamsConfig.CONSUMER_PREFIX, List.of(CONSUMER));
        prefixes.put(StreamsConfig.PRODUCER_PREFIX, List.of(PRODUCER));
        prefixes.put(StreamsConfig.ADMIN_CLIENT_PREFIX, List.of(ADMIN));
        prefixes.put(StreamsConfig.TOPIC_PREFIX, List.of());
        return Collections.unmodifiableMap(prefixes);
    }

    private static Set<String> topicConfigs() {
        Set<String> names = new TreeSet<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())
                    && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    names.add((String) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("TopicConfig." + field.getName(), e);
                }
            }
        }
        return Collections.unmodifiableSet(names);
    }

    private static Set<String> names() {
        Set<String> names = new TreeSet<>();
        names.addAll(STREAMS.names());
        names.addAll(PRODUCER.names());
        names.addAll(CONSUMER.names());
        names.addAll(ADMIN.names());
        return Collections.unmodifiableSet(names);
    }
}
