/**
 * Options that several {@code canvasflow} commands take, each declared once as a picocli
 * {@code @Mixin}: the Kafka connection ({@link io.canvasflow.cli.options.KafkaOptions}), a settings
 * file with {@code -D} overrides ({@link io.canvasflow.cli.options.ConfigOptions}) and the model
 * directory ({@link io.canvasflow.cli.options.ModelOptions}). A mixin only parses; what an absent
 * value means (an error, an environment variable, an embedded broker) is the command's decision.
 *
 * <p>Beside them, what the commands share below the option level: the Kafka checks before a command
 * starts ({@link io.canvasflow.cli.options.KafkaPreflight}), topic creation and the command line of
 * a child JVM ({@link io.canvasflow.cli.options.JavaCommand}), and the limits on the requests that
 * serve's and view's web servers read ({@link io.canvasflow.cli.options.HttpRequestLimits}).
 */
package io.canvasflow.cli.options;
