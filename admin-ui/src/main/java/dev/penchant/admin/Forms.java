package dev.penchant.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;

/** The fields of the form this request posted, for forms whose fields are generated (the launch form). */
final class Forms {
    private Forms() {
    }

    static Map<String, List<String>> fields() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        FormData form = CurrentRequestManager.get().getFormData();
        if (form == null) return out;
        for (String name : form) {
            List<String> values = new ArrayList<>();
            for (FormValue v : form.get(name)) if (!v.isFileItem()) values.add(v.getValue());
            out.put(name, values);
        }
        return out;
    }

    /** 303 to a console page with one query parameter (a message, a refusal), URL-encoded. */
    static jakarta.ws.rs.core.Response seeOther(String path, String param, String value) {
        return jakarta.ws.rs.core.Response.seeOther(java.net.URI.create(path + "?" + param + "="
                + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8))).build();
    }

    static String first(Map<String, List<String>> form, String name) {
        List<String> v = form.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
