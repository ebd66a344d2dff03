package dev.penchant.k8s;

/** An image reference split as registries read it: name[:tag][@digest]; the tag's colon comes after the last slash. */
record ImageRef(String name, String tag, String digest) {
    static ImageRef parse(String image) {
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) return new ImageRef(rest.substring(0, colon), rest.substring(colon + 1), digest);
        return new ImageRef(rest, null, digest);
    }

    /** Why this reference is not pinned, or null when it is: a tag that is not "latest", or a digest. */
    String unpinnedReason() {
        if (name.contains("$")) return "names a build variable, so its version is not in the file";
        if (digest != null) return digest.matches("sha256:[0-9a-f]{64}") ? null : "has a malformed digest";
        if (tag == null || tag.isEmpty()) return "has no tag (pulls latest)";
        if (tag.equalsIgnoreCase("latest")) return "is tagged latest";
        return null;
    }
}
