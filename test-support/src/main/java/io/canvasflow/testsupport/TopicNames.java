package io.canvasflow.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** The names of the topics a cluster has, for a test of what a command created or left. */
public final class TopicNames {

    private TopicNames() {}

    /**
     * The cluster's topics whose names start so.
     *
     * @param client {@code bootstrap.servers} and any other admin client property
     * @param prefix how the names start
     * @return the names, sorted
     * @throws Exception when the cluster does not list its topics within 30 s
     */
    public static List<String> startingWith(Map<String, Object> client, String prefix)
            throws Exception {
        try (Admin admin = Admin.create(client)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }
}
