package dev.penchant.support.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.support.security.Roles;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The role matrix, generated from a node's own OpenAPI document so a new endpoint cannot be
 * forgotten: for every operation, no credential -> 401, each role the operation does not allow ->
 * 403, each role it allows -> neither 401 nor 403 (a 400 or 404 for the made-up path values is fine).
 * The allowed roles come from the document (x-roles, the security requirement's scopes); an operation
 * without them fails the matrix unless it is marked x-public and named in the allowed public list.
 */
public final class RoleMatrix {
    /** One operation of the document with the roles it allows (empty for a public one). */
    public record Operation(String method, String path, Set<String> roles, boolean open) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path;
        }
    }

    private RoleMatrix() {
    }

    /** The operations of a document; fails (with every offender named) when one carries no role information. */
    public static List<Operation> operations(String openApiJson, Set<String> allowedPublic) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(openApiJson);
        List<Operation> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> o = ops.next();
                if (!List.of("get", "put", "post", "delete", "patch").contains(o.getKey())) continue;
                JsonNode op = o.getValue();
                String name = o.getKey().toUpperCase() + " " + p.getKey();
                Set<String> roles = new LinkedHashSet<>();
                op.path("x-roles").forEach(r -> roles.add(r.asText()));
                Set<String> scopes = new LinkedHashSet<>();
                op.path("security").forEach(req -> req.fields().forEachRemaining(s -> s.getValue().forEach(r -> scopes.add(r.asText()))));
                boolean open = op.path("x-public").asBoolean(false);
                if (open) {
                    if (!allowedPublic.contains(name)) missing.add(name + " (x-public, but not in the allowed public list)");
                    out.add(new Operation(o.getKey(), p.getKey(), Set.of(), true));
                } else if (roles.isEmpty() || !roles.equals(scopes)) {
                    missing.add(name + " (x-roles " + roles + ", security scopes " + scopes + ")");
                } else {
                    out.add(new Operation(o.getKey(), p.getKey(), roles, false));
                }
            }
        }
        if (!missing.isEmpty()) throw new AssertionError("operations without role information: " + missing);
        return out;
    }

    /**
     * Runs the matrix against the node RestAssured points at; returns the failures (empty = pass).
     *
     * @param keyByRole an API key holding exactly that role, for every role in {@link Roles#ALL}
     */
    public static List<String> check(List<Operation> operations, Map<String, String> keyByRole) {
        List<String> failures = new ArrayList<>();
        for (Operation op : operations) {
            int anonymous = send(op, null);
            if (op.open()) {
                if (anonymous == 401 || anonymous == 403) failures.add(op + ": public, but " + anonymous + " without a key");
                continue;
            }
            if (anonymous != 401) failures.add(op + ": no key -> " + anonymous + ", want 401");
            for (String role : Roles.ALL) {
                int status = send(op, keyByRole.get(role));
                boolean allowed = Roles.effective(List.of(role)).stream().anyMatch(op.roles()::contains);
                if (allowed && (status == 401 || status == 403)) failures.add(op + ": role " + role + " is allowed, got " + status);
                if (!allowed && status != 403) failures.add(op + ": role " + role + " is not allowed, got " + status + ", want 403");
            }
        }
        return failures;
    }

    private static int send(Operation op, String key) {
        RequestSpecification r = RestAssured.given().redirects().follow(false).accept("*/*");
        if (key != null) r = r.header("X-API-Key", key);
        String path = op.path().replaceAll("\\{[^}]+}", "1");
        if (List.of("post", "put", "patch").contains(op.method())) r = r.contentType("application/json").body("{}");
        return r.request(op.method().toUpperCase(), path).statusCode();
    }
}
