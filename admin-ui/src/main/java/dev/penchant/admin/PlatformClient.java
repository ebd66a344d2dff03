package dev.penchant.admin;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/** The one REST client of platform-api, at penchant.console.api-url. */
public class PlatformClient {
    @Produces
    @Singleton
    PlatformApi platformApi(ConsoleUiConfig config) {
        return QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(config.apiUrl()))
                .connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS)
                .build(PlatformApi.class);
    }
}
