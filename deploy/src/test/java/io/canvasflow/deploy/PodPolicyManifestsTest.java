package io.canvasflow.deploy;

import static io.canvasflow.deploy.YamlFiles.list;
import static io.canvasflow.deploy.YamlFiles.map;
import static io.canvasflow.deploy.YamlFiles.read;
import static io.canvasflow.deploy.YamlFiles.yamlDocs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * How the Kubernetes manifests run and place their pods: every pod meets the {@code restricted} Pod
 * Security Standard (a namespace that enforces it admits them), the serve pods prefer different
 * nodes and are evicted one at a time (a task and its standby are not lost together), and the
 * base's instructions say how to apply a changed Job, whose pod template is immutable.
 */
class PodPolicyManifestsTest {

    private static final Path K8S =
            Path.of("..").toAbsolutePath().normalize().resolve("deploy/k8s");
    private static final Path K8S_BASE = K8S.resolve("base");
    private static final Path K8S_GPU = K8S.resolve("overlays/gpu");

    /** What {@code restricted} asks of every container, and nothing it would refuse. */
    private static final Map<String, Object> RESTRICTED_CONTAINER =
            Map.of(
                    "allowPrivilegeEscalation",
                    false,
                    "capabilities",
                    Map.of("drop", List.of("ALL")));

    /** The volume types {@code restricted} allows. */
    private static final Set<String> RESTRICTED_VOLUMES =
            Set.of(
                    "configMap",
                    "csi",
                    "downwardAPI",
                    "emptyDir",
                    "ephemeral",
                    "persistentVolumeClaim",
                    "projected",
                    "secret");

    @Test
    void shouldMeetTheRestrictedPodSecurityStandardInEveryPod() {
        // Given every workload of the base: the serve StatefulSet and the models Job
        List<Map<String, Object>> workloads = workloads(K8S_BASE);
        assertEquals(
                List.of("StatefulSet", "Job"),
                workloads.stream().map(w -> (String) w.get("kind")).toList());

        for (Map<String, Object> workload : workloads) {
            // When its pod is read
            Map<String, Object> pod = podSpec(workload);
            Map<String, Object> context = map(pod.get("securityContext"));
            String kind = (String) workload.get("kind");

            // Then it runs as a user other than root, with the runtime's seccomp filter
            assertEquals(
                    Map.of(
                            "runAsNonRoot",
                            true,
                            "seccompProfile",
                            Map.of("type", "RuntimeDefault")),
                    picked(context, "runAsNonRoot", "seccompProfile"),
                    kind);
            assertFalse(Integer.valueOf(0).equals(context.get("runAsUser")), kind);
            // shares nothing of the node's
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertFalse(Boolean.TRUE.equals(pod.get(host)), kind + " " + host);
            }
            for (Object volume : list(pod.getOrDefault("volumes", List.of()))) {
                Set<String> types = new TreeSet<>(map(volume).keySet());
                types.remove("name");
                assertTrue(RESTRICTED_VOLUMES.containsAll(types), kind + " volume " + types);
            }
            // and each container escalates nothing and holds no capability
            List<Object> containers = new ArrayList<>(list(pod.get("containers")));
            containers.addAll(list(pod.getOrDefault("initContainers", List.of())));
            for (Object container : containers) {
                assertEquals(
                        RESTRICTED_CONTAINER,
                        map(container).get("securityContext"),
                        kind + " container " + map(container).get("name"));
            }
        }
    }

    @Test
    void shouldKeepTheRestrictedSettingsInTheGpuOverlay() {
        // Given the GPU overlay's patch of the StatefulSet
        Map<String, Object> patch = yamlDocs(K8S_GPU.resolve("statefulset-gpu.yaml")).get(0);
        Map<String, Object> pod = podSpec(patch);
        Set<String> baseContainers =
                new TreeSet<>(
                        list(podSpec(workloads(K8S_BASE).get(0)).get("containers")).stream()
                                .map(c -> (String) map(c).get("name"))
                                .toList());

        // When its pod fields are merged into the base's
        // Then it replaces no security setting and adds no container, so the merge keeps the base's
        for (String field : List.of("securityContext", "hostNetwork", "hostPID", "hostIPC")) {
            assertFalse(pod.containsKey(field), field);
        }
        for (Object container : list(pod.get("containers"))) {
            assertTrue(baseContainers.contains((String) map(container).get("name")));
            assertFalse(map(container).containsKey("securityContext"));
        }
    }

    @Test
    void shouldSpreadTheServePodsOverNodesAndEvictThemOneAtATime() {
        // Given the serve StatefulSet, which keeps standbys on the other pod
        Map<String, Object> sts = workloads(K8S_BASE).get(0);
        Map<String, Object> spec = map(sts.get("spec"));
        Map<String, Object> selector = map(spec.get("selector"));
        assertTrue((Integer) spec.get("replicas") >= 2);
        assertTrue(
                read(K8S_BASE.resolve("canvasflow.properties")).contains("num.standby.replicas=1"));

        // When its placement and its disruption budget are read
        List<Object> spread = list(podSpec(sts).get("topologySpreadConstraints"));
        Map<String, Object> budget = resource(K8S_BASE, "PodDisruptionBudget");

        // Then it prefers one pod per node, without refusing to run where nodes are fewer
        assertEquals(
                List.of(
                        Map.of(
                                "maxSkew",
                                1,
                                "topologyKey",
                                "kubernetes.io/hostname",
                                "whenUnsatisfiable",
                                "ScheduleAnyway",
                                "labelSelector",
                                selector)),
                spread);
        // and lets one of its pods be evicted at a time
        assertEquals("policy/v1", budget.get("apiVersion"));
        assertEquals(Map.of("maxUnavailable", 1, "selector", selector), budget.get("spec"));
        // and not the models Job's pod, which comes and goes
        Map<String, Object> jobLabels =
                map(
                        map(map(map(workloads(K8S_BASE).get(1).get("spec")).get("template"))
                                        .get("metadata"))
                                .get("labels"));
        assertFalse(jobLabels.entrySet().containsAll(map(selector.get("matchLabels")).entrySet()));
    }

    @Test
    void shouldSayToDeleteTheJobBeforeApplyingAChangedOne() {
        // Given the models Job, whose pod template Kubernetes does not let an apply change
        Map<String, Object> job = workloads(K8S_BASE).get(1);
        String name = (String) map(job.get("metadata")).get("name");

        // When the base's instructions are read
        String instructions = read(K8S_BASE.resolve("kustomization.yaml"));

        // Then they delete the Job before applying, and the Job does not delete itself (its log
        // stays to be read)
        assertTrue(
                instructions.contains(
                        "kubectl delete job " + name + " --ignore-not-found && kubectl apply -k"),
                instructions);
        assertFalse(map(job.get("spec")).containsKey("ttlSecondsAfterFinished"));
    }

    // ---------------------------------------------------------------------------------------
    // Reading

    /** The kustomization's resources that run pods, in its order. */
    private static List<Map<String, Object>> workloads(Path dir) {
        return resources(dir).stream()
                .filter(r -> map(r.get("spec")).containsKey("template"))
                .toList();
    }

    private static Map<String, Object> resource(Path dir, String kind) {
        List<Map<String, Object>> found =
                resources(dir).stream().filter(r -> kind.equals(r.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind + " in " + dir);
        return found.get(0);
    }

    private static List<Map<String, Object>> resources(Path dir) {
        List<Map<String, Object>> found = new ArrayList<>();
        Map<String, Object> kustomization = yamlDocs(dir.resolve("kustomization.yaml")).get(0);
        for (Object resource : list(kustomization.get("resources"))) {
            Path path = dir.resolve((String) resource).normalize();
            if (Files.isRegularFile(path)) {
                found.addAll(yamlDocs(path));
            }
        }
        return found;
    }

    /** The named entries of a mapping, absent ones as null, to compare as one value. */
    private static Map<String, Object> picked(Map<String, Object> m, String... keys) {
        Map<String, Object> picked = new LinkedHashMap<>();
        for (String key : keys) {
            picked.put(key, m.get(key));
        }
        return picked;
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }
}
