package io.flowtrail.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Docker cannot run on the build machines, so this holds {@code docker/Dockerfile}, {@code
 * docker/docker-compose.yml} and the Kubernetes manifest {@code deploy/flowtrail-stream.yaml} to
 * the build instead: the Flink image is the Flink version the jar is built against, the jar copied
 * into the image is the cluster jar the build makes, the main class is the jar's, the loader fills
 * the topics the job reads, and the job's output, checkpoint and savepoint folders are on volumes
 * that every Flink process mounts.
 */
class DockerComposeCheckTest {
    static final Path DOCKER = Path.of("docker");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Pom pom;
    static List<String> dockerfile;
    static JsonNode compose;
    static JsonNode services;
    static JsonNode flinkDeployment;

    @BeforeAll
    static void read() throws Exception {
        pom = Pom.read(Path.of("pom.xml"));
        dockerfile = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());
        services = compose.path("services");
        for (JsonNode doc :
                YAML.readerFor(JsonNode.class)
                        .<JsonNode>readValues(Path.of("deploy", "flowtrail-stream.yaml").toFile())
                        .readAll()) {
            if (doc.path("kind").asText().equals("FlinkDeployment")) {
                flinkDeployment = doc;
            }
        }
    }

    @Test
    void composeHasKafkaTheLoaderAJobManagerAndTwoTaskManagers() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactly(
                        "kafka",
                        "kafka-init",
                        "load-sample-logs",
                        "jobmanager",
                        "taskmanager-1",
                        "taskmanager-2");
        assertThat(text(services, "kafka-init", "image"))
                .isEqualTo(text(services, "kafka", "image"));
        assertThat(services.path("load-sample-logs").path("depends_on").path("kafka-init"))
                .hasToString("{\"condition\":\"service_completed_successfully\"}");
        assertThat(services.path("jobmanager").path("depends_on").path("kafka-init"))
                .hasToString("{\"condition\":\"service_completed_successfully\"}");
    }

    @Test
    void dockerfileStartsFromTheOfficialFlinkImageOfTheBuildsFlinkAndJavaVersions() {
        assertThat(instructions("FROM"))
                .containsExactly(
                        "flink:"
                                + pom.property("flink.version")
                                + "-scala_2.12-java"
                                + pom.property("maven.compiler.release"));
    }

    @Test
    void dockerfileCopiesTheClusterJarIntoUsrlib() {
        String jar = pom.clusterJarFinalName() + ".jar";
        assertThat(jar).isEqualTo("flowtrail-cluster.jar");
        assertThat(instructions("COPY"))
                .contains("--chown=flink:flink target/" + jar + " /opt/flink/usrlib/" + jar);
    }

    @Test
    void theImageIsBuiltFromTheRepositoryRootWithThisDockerfileAndTaggedWithTheVersion() {
        JsonNode build = services.path("jobmanager").path("build");
        Path context = DOCKER.resolve(build.path("context").asText()).normalize();
        assertThat(context.toAbsolutePath()).isEqualTo(Path.of("").toAbsolutePath());
        assertThat(context.resolve(build.path("dockerfile").asText()))
                .isEqualTo(DOCKER.resolve("Dockerfile"));
        String image = "flowtrail:" + pom.version();
        for (String flink : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
            assertThat(text(services, flink, "image")).as(flink).isEqualTo(image);
        }
        assertThat(flinkDeployment.path("spec").path("image").asText()).endsWith("/" + image);
    }

    @Test
    void theJobManagerRunsTheJarsMainClassInApplicationMode() {
        List<String> command = list(services.path("jobmanager").path("command"));
        assertThat(command.subList(0, 4))
                .containsExactly("standalone-job", "--job-classname", pom.mainClass(), "stream");
        assertThat(pom.mainClass()).isEqualTo("io.flowtrail.cli.Main");
        JsonNode job = flinkDeployment.path("spec").path("job");
        assertThat(job.path("entryClass").asText()).isEqualTo(pom.mainClass());
        assertThat(job.path("jarURI").asText())
                .isEqualTo("local:///opt/flink/usrlib/" + pom.clusterJarFinalName() + ".jar");
        assertThat(list(job.path("args")).get(0)).isEqualTo("stream");
    }

    @Test
    void theKubernetesManifestNamesTheBuildsFlinkVersion() {
        String[] v = pom.property("flink.version").split("\\.");
        assertThat(flinkDeployment.path("spec").path("flinkVersion").asText())
                .isEqualTo("v" + v[0] + "_" + v[1]);
    }

    @Test
    void theTaskManagersJoinTheJobManagerAndTheirSlotsMatchTheParallelism() throws IOException {
        int slots = 0;
        for (String tm : List.of("taskmanager-1", "taskmanager-2")) {
            JsonNode s = services.path(tm);
            assertThat(s.path("command").asText()).isEqualTo("taskmanager");
            Map<String, String> props = flinkProperties(s);
            assertThat(props).containsEntry("jobmanager.rpc.address", "jobmanager");
            slots += Integer.parseInt(props.get("taskmanager.numberOfTaskSlots"));
        }
        assertThat(flinkProperties(services.path("jobmanager")))
                .containsEntry("jobmanager.rpc.address", "jobmanager");
        Map<String, List<String>> args = jobArgs();
        assertThat(args.get("--parallelism")).containsExactly(String.valueOf(slots));
        JsonNode spec = flinkDeployment.path("spec");
        int k8sSlots =
                spec.path("taskManager").path("replicas").asInt()
                        * spec.path("flinkConfiguration")
                                .path("taskmanager.numberOfTaskSlots")
                                .asInt();
        assertThat(spec.path("job").path("parallelism").asInt()).isEqualTo(k8sSlots);
    }

    @Test
    void theLoaderFillsTheTopicTheJobReadsAndKafkaInitCreatesEveryTopicTheJobUses() {
        Map<String, List<String>> args = jobArgs();
        JsonNode loader = services.path("load-sample-logs").path("environment");
        JsonNode init = services.path("kafka-init").path("environment");

        assertThat(args.get("--flow-topic")).containsExactly(loader.path("FLOW_TOPIC").asText());
        Set<String> created = Set.of(init.path("TOPICS").asText().split("\\s+"));
        assertThat(created)
                .containsExactlyInAnyOrder(
                        args.get("--flow-topic").get(0), args.get("--alerts-topic").get(0));
        // A partition is read by one source subtask: fewer partitions than slots leave slots idle.
        assertThat(init.path("PARTITIONS").asInt())
                .isGreaterThanOrEqualTo(Integer.parseInt(args.get("--parallelism").get(0)));

        String bootstrap = args.get("--bootstrap-servers").get(0);
        assertThat(loader.path("BOOTSTRAP_SERVERS").asText()).isEqualTo(bootstrap);
        assertThat(init.path("BOOTSTRAP_SERVERS").asText()).isEqualTo(bootstrap);
        assertThat(
                        services.path("kafka")
                                .path("environment")
                                .path("KAFKA_ADVERTISED_LISTENERS")
                                .asText())
                .contains("PLAINTEXT://" + bootstrap);

        Map<String, List<String>> k8s =
                options(list(flinkDeployment.path("spec").path("job").path("args")));
        assertThat(k8s.get("--flow-topic")).isEqualTo(args.get("--flow-topic"));
        assertThat(k8s.get("--alerts-topic")).isEqualTo(args.get("--alerts-topic"));
    }

    @Test
    void theLoaderScriptAndTheSampleItLoadsAreWhereTheComposeFileMountsThem() {
        Map<String, String> mounts = mounts(services.path("load-sample-logs"));
        assertThat(DOCKER.resolve(source(mounts, "/load-sample-logs.sh"))).isRegularFile();
        Path sample = DOCKER.resolve(source(mounts, "/sample-logs")).normalize();
        assertThat(sample.resolve("flow-logs")).isDirectory();
        assertThat(
                        services.path("load-sample-logs")
                                .path("environment")
                                .path("SAMPLE_LOGS")
                                .asText())
                .isEqualTo("/sample-logs");
        assertThat(list(services.path("load-sample-logs").path("entrypoint")))
                .containsExactly("/bin/sh", "/load-sample-logs.sh");
    }

    @Test
    void outputCheckpointsAndSavepointsAreOnNamedVolumesThatEveryFlinkProcessMounts() {
        Map<String, List<String>> args = jobArgs();
        Set<String> declared = new LinkedHashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declared::add);
        Set<String> mountPoints = new LinkedHashSet<>();
        for (String option : List.of("--out", "--checkpoint-dir", "--savepoint-dir")) {
            String path = args.get(option).get(0);
            for (String flink : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
                Map<String, String> mounts = mounts(services.path(flink));
                String target = mountPointOf(mounts, path);
                assertThat(target).as("%s %s mounted in %s", option, path, flink).isNotNull();
                assertThat(declared).as("named volume of %s", target).contains(mounts.get(target));
                mountPoints.add(target);
            }
        }
        // The image creates the mount points, owned by the flink user, so the volumes are
        // writable for it.
        String run = String.join(" ", instructions("RUN"));
        for (String target : mountPoints) {
            assertThat(run).contains(target);
        }
    }

    @Test
    void theNetworkConfigurationIsMountedWhereTheJobReadsIt() {
        String config = jobArgs().get("--config").get(0);
        Map<String, String> mounts = mounts(services.path("jobmanager"));
        Path source = DOCKER.resolve(source(mounts, config)).normalize();
        assertThat(source).isDirectory().isEqualTo(Path.of("sample-logs", "config"));
    }

    @Test
    void theKafkaImageIsTheBrokerVersionTheTestsRunAgainst() {
        assertThat(text(services, "kafka", "image"))
                .isEqualTo(
                        "apache/kafka:" + pom.dependencyVersion("org.apache.kafka", "kafka_2.13"));
    }

    @Test
    void theKubernetesJobWritesWhereTheOperatorLooksForCheckpointsAndSavepoints() {
        JsonNode conf = flinkDeployment.path("spec").path("flinkConfiguration");
        Map<String, List<String>> k8s =
                options(list(flinkDeployment.path("spec").path("job").path("args")));
        assertThat(conf.path("execution.checkpointing.dir").asText())
                .isEqualTo("file://" + k8s.get("--checkpoint-dir").get(0));
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText())
                .isEqualTo("file://" + k8s.get("--savepoint-dir").get(0));
        String mount =
                flinkDeployment
                        .path("spec")
                        .path("podTemplate")
                        .path("spec")
                        .path("containers")
                        .get(0)
                        .path("volumeMounts")
                        .get(0)
                        .path("mountPath")
                        .asText();
        for (String option : List.of("--out", "--checkpoint-dir", "--savepoint-dir", "--config")) {
            assertThat(k8s.get(option).get(0)).as(option).startsWith(mount + "/");
        }
    }

    // ---- reading the files

    /** The arguments of Dockerfile instructions of one kind, in order. */
    static List<String> instructions(String keyword) {
        List<String> out = new ArrayList<>();
        for (String line : dockerfile) {
            String t = line.trim();
            if (t.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1)) {
                out.add(t.substring(keyword.length() + 1).trim());
            }
        }
        return out;
    }

    /** The job's options after {@code stream}: option name to its values, in order. */
    static Map<String, List<String>> jobArgs() {
        List<String> command = list(services.path("jobmanager").path("command"));
        return options(command.subList(command.indexOf("stream") + 1, command.size()));
    }

    static Map<String, List<String>> options(List<String> args) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        String option = null;
        for (String a : args) {
            if (a.startsWith("--")) {
                option = a;
                out.computeIfAbsent(a, k -> new ArrayList<>());
            } else if (option != null) {
                out.get(option).add(a);
            }
        }
        return out;
    }

    static Map<String, String> flinkProperties(JsonNode service) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonNode props =
                YAML.readTree(service.path("environment").path("FLINK_PROPERTIES").asText());
        props.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** A service's volumes: mount point in the container to source (a volume name or a path). */
    static Map<String, String> mounts(JsonNode service) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : list(service.path("volumes"))) {
            String[] parts = v.split(":");
            out.put(parts[1], parts[0]);
        }
        return out;
    }

    static String source(Map<String, String> mounts, String target) {
        assertThat(mounts).containsKey(target);
        return mounts.get(target);
    }

    /** The mount point a container path lies under, or null. */
    static String mountPointOf(Map<String, String> mounts, String path) {
        for (String target : mounts.keySet()) {
            if (path.equals(target) || path.startsWith(target + "/")) {
                return target;
            }
        }
        return null;
    }

    static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String text(JsonNode services, String service, String field) {
        return services.path(service).path(field).asText();
    }

    /** The parts of pom.xml these files depend on. */
    record Pom(Element project) {
        static Pom read(Path file) throws Exception {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            Document doc = f.newDocumentBuilder().parse(file.toFile());
            return new Pom(doc.getDocumentElement());
        }

        String version() {
            return childText(project, "version");
        }

        String property(String name) {
            return childText(child(project, "properties"), name);
        }

        /** Resolves {@code ${property}} references. */
        String resolve(String value) {
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(property(m.group(1))));
            }
            return m.appendTail(b).toString();
        }

        Element shadeExecution(String id) {
            for (Element plugin : children(child(child(project, "build"), "plugins"), "plugin")) {
                if (childText(plugin, "artifactId").equals("maven-shade-plugin")) {
                    for (Element e : children(child(plugin, "executions"), "execution")) {
                        if (childText(e, "id").equals(id)) {
                            return e;
                        }
                    }
                }
            }
            throw new AssertionError("pom.xml: no maven-shade-plugin execution " + id);
        }

        String clusterJarFinalName() {
            return resolve(
                    childText(child(shadeExecution("cluster-jar"), "configuration"), "finalName"));
        }

        /** The main class of the cluster jar's manifest, which must be the runnable jar's too. */
        String mainClass() {
            String cluster = manifestMainClass("cluster-jar");
            assertThat(manifestMainClass("runnable-jar")).isEqualTo(cluster);
            return cluster;
        }

        private String manifestMainClass(String execution) {
            Element transformers =
                    child(child(shadeExecution(execution), "configuration"), "transformers");
            for (Element t : children(transformers, "transformer")) {
                if (t.getAttribute("implementation").endsWith("ManifestResourceTransformer")) {
                    return resolve(childText(t, "mainClass"));
                }
            }
            throw new AssertionError(execution + ": no ManifestResourceTransformer");
        }

        String dependencyVersion(String groupId, String artifactId) {
            for (Element d : children(child(project, "dependencies"), "dependency")) {
                if (childText(d, "groupId").equals(groupId)
                        && childText(d, "artifactId").equals(artifactId)) {
                    return resolve(childText(d, "version"));
                }
            }
            throw new AssertionError("pom.xml: no dependency " + groupId + ":" + artifactId);
        }

        private static Element child(Element parent, String name) {
            List<Element> c = children(parent, name);
            if (c.isEmpty()) {
                throw new AssertionError(
                        "pom.xml: no <" + name + "> in <" + parent.getTagName() + ">");
            }
            return c.get(0);
        }

        private static String childText(Element parent, String name) {
            return child(parent, name).getTextContent().trim();
        }

        private static List<Element> children(Element parent, String name) {
            List<Element> out = new ArrayList<>();
            NodeList nodes = parent.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                Node n = nodes.item(i);
                if (n instanceof Element e && e.getTagName().equals(name)) {
                    out.add(e);
                }
            }
            return out;
        }
    }
}
