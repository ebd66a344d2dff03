package dev.penchant.core.data.io;

import java.util.List;
import java.util.Map;

/** An item as read: title and description text, categories (e.g. genres), other attributes. */
public record RawItem(String itemId, String title, String description, List<String> categories,
                      Map<String, Object> attributes) {
}
