package dev.penchant.support.openapi;

import dev.penchant.support.security.CredentialMechanism;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Every node's OpenAPI document says who may call each operation. Quarkus adds, for each
 * {@code @RolesAllowed} method, a requirement on the configured scheme ({@value #API_KEY}) whose scopes
 * are the allowed roles (OpenAPI 3.1 allows role names there); this filter adds the same requirement
 * for the console's bearer token, so either credential is listed, and copies the roles to an
 * {@code x-roles} extension. Operations open to anyone (the login) carry {@code x-public: true}.
 */
public class SecurityDocumentFilter implements OASFilter {
    public static final String API_KEY = "apiKey";
    public static final String BEARER = "bearer";
    public static final String ROLES = "x-roles";
    public static final String PUBLIC = "x-public";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (components.getSecuritySchemes() == null || !components.getSecuritySchemes().containsKey(API_KEY)) {
            components.addSecurityScheme(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(CredentialMechanism.API_KEY_HEADER)
                    .description("An API key; its roles decide what it may call"));
        }
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").description("A console session token from POST /v1/auth/sessions"));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            if (item.getOperations() == null) continue;
            for (Operation op : item.getOperations().values()) {
                Set<String> roles = roles(op);
                if (roles.isEmpty()) continue;
                op.addExtension(ROLES, new ArrayList<>(roles));
                List<SecurityRequirement> security = new ArrayList<>();
                security.add(OASFactory.createSecurityRequirement().addScheme(API_KEY, new ArrayList<>(roles)));
                security.add(OASFactory.createSecurityRequirement().addScheme(BEARER, new ArrayList<>(roles)));
                op.setSecurity(security);
            }
        }
    }

    /** The scopes of the operation's requirements, whatever scheme Quarkus put them on. */
    private static Set<String> roles(Operation op) {
        Set<String> roles = new LinkedHashSet<>();
        if (op.getSecurity() == null) return roles;
        for (SecurityRequirement r : op.getSecurity()) {
            if (r.getSchemes() == null) continue;
            for (Map.Entry<String, List<String>> e : r.getSchemes().entrySet()) {
                if (e.getValue() != null) roles.addAll(e.getValue());
            }
        }
        return roles;
    }
}
