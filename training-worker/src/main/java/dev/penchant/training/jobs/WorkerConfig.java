package dev.penchant.training.jobs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/** penchant.worker.*: how this node claims and runs training jobs. */
@ConfigMapping(prefix = "penchant.worker")
public interface WorkerConfig {
    /** Whether this node claims jobs at all (the REST API works either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often an idle worker asks the queue for a job. */
    @WithDefault("PT2S")
    Duration pollInterval();

    /** How often a running job's heartbeat (and progress) is written. */
    @WithDefault("PT5S")
    Duration heartbeatInterval();

    /** A running job whose heartbeat is older than this is taken over by another worker. */
    @WithDefault("PT60S")
    Duration heartbeatTimeout();

    /** Claims per job; a job whose worker died this many times is marked failed. */
    @WithDefault("3")
    int maxAttempts();

    /** Identity written to claimed jobs; default hostname:pid. */
    Optional<String> workerId();

    /** Jobs trained at once by this node, each on its own thread. */
    @WithDefault("1")
    int concurrency();

    /** Where jobs' exported models are staged before they are archived into the artifact store. */
    Optional<String> workDir();

    static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    default String effectiveWorkerId() {
        return workerId().filter(s -> !s.isBlank()).orElseGet(WorkerConfig::defaultWorkerId);
    }
}
