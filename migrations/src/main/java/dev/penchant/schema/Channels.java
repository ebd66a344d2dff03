package dev.penchant.schema;

/**
 * The PostgreSQL LISTEN/NOTIFY channels the nodes share, named once. They live beside the schema
 * because they are part of the database contract: the framework-free training store notifies on one,
 * the Quarkus nodes listen on all.
 */
public final class Channels {
    /** Payload: the promoted model's id. Inference nodes reload their serving models. */
    public static final String MODEL_PROMOTED = "model_promoted";
    /** Payload: the changed key's name. Every node drops its cached API-key verdicts. */
    public static final String API_KEYS_CHANGED = "api_keys_changed";
    /** Payload: a username. Every node drops its cached console sessions (logout, user disabled). */
    public static final String CONSOLE_SESSIONS_CHANGED = "console_sessions_changed";

    /** Payload: the surface (user, session, similar) whose promoted model changed. Inference nodes reload their serving set. */
    public static final String SERVING_CHANGED = "serving_changed";
    /** Payload: an experiment's key (created, changed, started, stopped, concluded). Inference nodes reload their serving set. */
    public static final String EXPERIMENTS_CHANGED = "experiments_changed";
    /**
     * Payload: a privacy request's id. Every inference node evicts what it holds about the request's
     * user and acknowledges in privacy_cache_acks.
     */
    public static final String PRIVACY_FORGET = "privacy_forget";

    private Channels() {
    }
}
