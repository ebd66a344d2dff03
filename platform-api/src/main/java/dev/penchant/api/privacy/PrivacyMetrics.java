package dev.penchant.api.privacy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * penchant_privacy_requests_{overdue,failed,open}: requests that need someone's attention (open past
 * their legal deadline; failed) and the backlog. Refreshed by the workflow's poll (JDBC off the
 * scrape's thread), at most every few seconds.
 */
@Singleton
public class PrivacyMetrics {
    private final PrivacyRequests requests;
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong open = new AtomicLong();
    private volatile long refreshedAt;

    public PrivacyMetrics(MeterRegistry registry, PrivacyRequests requests) {
        this.requests = requests;
        Gauge.builder("penchant.privacy.requests.overdue", overdue, AtomicLong::get)
                .description("Open privacy requests past their legal deadline").register(registry);
        Gauge.builder("penchant.privacy.requests.failed", failed, AtomicLong::get)
                .description("Privacy requests that failed (need an operator)").register(registry);
        Gauge.builder("penchant.privacy.requests.open", open, AtomicLong::get)
                .description("Privacy requests received or in progress").register(registry);
    }

    void refresh(boolean force) {
        long now = System.currentTimeMillis();
        if (!force && now - refreshedAt < 5000) return;
        refreshedAt = now;
        long[] a = requests.attention();
        overdue.set(a[0]);
        failed.set(a[1]);
        open.set(a[2]);
    }
}
