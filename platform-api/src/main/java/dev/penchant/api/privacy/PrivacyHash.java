package dev.penchant.api.privacy;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The keyed hashes privacy keeps instead of ids: subject hashes (HMAC-SHA256 of a user id, hex) on
 * requests, suppressions and audit rows, and the event tombstone key (SQL: sha256(key || event_id)).
 * Keyed with penchant.privacy.hash-key, so a guessed id cannot be checked against them without the key.
 */
@Singleton
public class PrivacyHash {
    private static final Logger LOG = Logger.getLogger(PrivacyHash.class);
    /** Outside prod only: a fixed key, so dev and test runs work without setup (never in prod). */
    static final String NON_PROD_KEY = "penchant-non-prod-privacy-key";
    static final int MIN_KEY_LENGTH = 16;

    private final byte[] key;
    private final SecretKeySpec spec;

    public PrivacyHash(PrivacyConfig config) {
        boolean prod = ConfigUtils.getProfiles().contains("prod");
        String k = config.hashKey().filter(s -> !s.isBlank()).orElse(null);
        if (k == null && prod) {
            throw new IllegalStateException("penchant.privacy.hash-key is not set (env PENCHANT_PRIVACY_HASH_KEY): "
                    + "a random secret of at least " + MIN_KEY_LENGTH + " characters, generated once per installation "
                    + "(./penchant up keeps one in .penchant/secrets.env; Kubernetes: secret penchant-secrets, "
                    + "key privacy-hash-key). Privacy requests, suppressions and tombstones are hashed with it.");
        }
        if (k != null && k.length() < MIN_KEY_LENGTH && prod) {
            throw new IllegalStateException("penchant.privacy.hash-key must have at least " + MIN_KEY_LENGTH + " characters");
        }
        if (k == null) {
            LOG.warn("penchant.privacy.hash-key not set; using the non-prod default key");
            k = NON_PROD_KEY;
        }
        this.key = k.getBytes(StandardCharsets.UTF_8);
        this.spec = new SecretKeySpec(key, "HmacSHA256");
    }

    /** Instantiates the bean at start, so prod without a key fails to start rather than on the first request. */
    void onStart(@Observes StartupEvent ev) {
        LOG.debug("privacy hash key loaded");
    }

    /** HMAC-SHA256(key, userId), hex. */
    public String subject(String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(spec);
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key's bytes for SQL's sha256(key || convert_to(event_id, 'UTF8')) (event tombstones). */
    public byte[] tombstoneKey() {
        return key.clone();
    }
}
