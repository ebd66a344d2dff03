package dev.penchant.tf;

/** History padding shared by training batches and scoring, so both see the same layout. */
public final class Sequences {
    private Sequences() {
    }

    /**
     * Writes the last L items of seq[0..end) right-aligned into out[offset..offset+L), padding the
     * front with pad (the padding index, numItems); unknown items (< 0 or >= pad) become padding too.
     */
    public static void fillHistory(int[] seq, int end, int length, int pad, int[] out, int offset) {
        int n = Math.min(end, length);
        int lead = length - n;
        for (int i = 0; i < lead; i++) out[offset + i] = pad;
        for (int i = 0; i < n; i++) {
            int item = seq[end - n + i];
            out[offset + lead + i] = item < 0 || item >= pad ? pad : item;
        }
    }
}
