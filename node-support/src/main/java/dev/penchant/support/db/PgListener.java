package dev.penchant.support.db;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This node's one LISTEN connection: handlers for any of the shared channels
 * ({@link dev.penchant.schema.Channels}). Connects on the first {@link #listen}, retries a first
 * connect that fails (database not up yet) and reconnects after a lost connection; onSubscribed runs
 * after every (re)subscription, since notifications sent meanwhile are lost and callers should re-read.
 */
@Singleton
public class PgListener {
    private static final Logger LOG = Logger.getLogger(PgListener.class);
    private static final long RETRY_MILLIS = 2000;

    private final Vertx vertx;
    private final Optional<String> reactiveUrl;
    private final Optional<String> username;
    private final Optional<String> password;
    private PgSubscriber subscriber;
    private volatile boolean stopped;

    public PgListener(Vertx vertx,
                      @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> reactiveUrl,
                      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.username = username;
        this.password = password;
    }

    public void listen(String channel, Consumer<String> handler) {
        listen(channel, handler, null);
    }

    /** @return false when there is no reactive datasource URL to listen with (callers then rely on polling) */
    public synchronized boolean listen(String channel, Consumer<String> handler, Runnable onSubscribed) {
        if (subscriber == null) {
            String url = reactiveUrl.orElse(null);
            if (url == null) {
                LOG.warnf("no reactive datasource URL; not listening on %s", channel);
                return false;
            }
            if (url.startsWith("vertx-reactive:")) url = url.substring("vertx-reactive:".length());
            PgConnectOptions opts = PgConnectOptions.fromUri(url.split(",")[0]);
            username.ifPresent(opts::setUser);
            password.ifPresent(opts::setPassword);
            subscriber = PgSubscriber.subscriber(vertx, opts);
            subscriber.reconnectPolicy(retries -> RETRY_MILLIS); // keep trying; callers' polling covers the gap
            connect();
        }
        var ch = subscriber.channel(channel);
        if (onSubscribed != null) ch.subscribeHandler(onSubscribed);
        ch.handler(handler);
        return true;
    }

    private void connect() {
        subscriber.connect().subscribe().with(
                ok -> LOG.debug("LISTEN connection up"),
                err -> {
                    LOG.warnf("LISTEN connection failed (%s); retrying in %d ms", err.getMessage(), RETRY_MILLIS);
                    if (!stopped) vertx.setTimer(RETRY_MILLIS, id -> connect());
                });
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopped = true;
        PgSubscriber s;
        synchronized (this) {
            s = subscriber;
        }
        if (s != null) s.closeAndForget();
    }
}
